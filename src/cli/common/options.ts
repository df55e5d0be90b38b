// Small parsers for commander options. Each failure is a UsageError (exit 2) that says what a valid value is.
import { UsageError } from '../../core/errors.ts';

/** Accumulates a repeatable option; commas also separate values (`-c code,reasoning`). */
export function collect(value: string, previous: string[]): string[] {
  return [
    ...previous,
    ...value
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean),
  ];
}

/** Accumulates a repeatable option whose values are taken whole (file paths may hold commas). */
export function collectEach(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Digits, optionally grouped with `,` or `_` (1,000,000 or 1_000_000); no exponents, no unsafe sizes. */
export function parsePositiveInt(value: string, flag: string): number {
  const digits = value.trim().replace(/[_,]/g, '');
  const n = Number(digits);
  if (!/^\d+$/.test(digits) || !Number.isSafeInteger(n) || n <= 0) {
    throw new UsageError(`${flag} must be a positive whole number, got "${value}"`);
  }
  return n;
}

/**
 * A decimal number (`0.7`, `.5`, `1e0`) within [min, max]. Number() alone reads "" and "  " as 0 and "0x1" as 1
 * (`--temperature ""` would send 0), so the form is checked first: decimal digits with an optional exponent.
 */
export function parseNumberInRange(value: string, flag: string, min: number, max: number): number {
  const text = value.trim();
  const n = Number(text);
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(text) || !(n >= min && n <= max)) {
    throw new UsageError(`${flag} must be a number from ${min} to ${max}, got "${value}"`);
  }
  return n;
}

/** A flag whose value names something must name something: `-m ""` is a mistake, not a default. */
export function requireText(value: string | undefined, flag: string, example: string): void {
  if (value !== undefined && !value.trim())
    throw new UsageError(`${flag} needs a value, got an empty one`, `e.g. ${example}`);
}
