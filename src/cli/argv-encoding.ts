// Command-line arguments that were not valid UTF-8. Node decodes argv before any of our code runs and replaces each
// invalid byte with U+FFFD, so a prompt typed in a GBK or Latin-1 terminal would be sent as "caf\uFFFD" — text the
// user never wrote. What reaches us cannot tell a replaced byte from a U+FFFD the user really typed, so the raw
// bytes decide: on Linux /proc/self/cmdline holds the arguments exactly as exec received them, and an argument is
// refused only if its bytes fail a strict UTF-8 decode. Where there is no /proc (macOS, Windows), or its entries do
// not line up with argv, a U+FFFD is taken for a lost byte: refusing a rare literal U+FFFD (which can still come on
// standard input, checked strictly) costs less than sending damaged text. The file is read only when an argument
// holds U+FFFD at all, so an ordinary run pays nothing.
import { readFileSync } from 'node:fs';
import { UsageError } from '../core/errors.ts';

const REPLACEMENT = '\uFFFD';

/** The last `count` arguments as exec received them (bytes), or undefined when they cannot be read. */
export function rawArguments(count: number): Buffer[] | undefined {
  try {
    const parts = splitNul(readFileSync('/proc/self/cmdline'));
    return parts.length >= count ? parts.slice(parts.length - count) : undefined;
  } catch {
    return undefined;
  }
}

function splitNul(bytes: Buffer): Buffer[] {
  const parts: Buffer[] = [];
  for (let start = 0; start < bytes.length; ) {
    const end = bytes.indexOf(0, start);
    const stop = end === -1 ? bytes.length : end;
    parts.push(bytes.subarray(start, stop));
    start = stop + 1;
  }
  return parts;
}

const strict = new TextDecoder('utf-8', { fatal: true });

function isValidUtf8(bytes: Buffer): boolean {
  try {
    strict.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** The index in `args` of the first argument whose bytes were not UTF-8, or undefined when every one was. */
export function lossyArgument(
  args: readonly string[],
  raw: (count: number) => Buffer[] | undefined = rawArguments,
): number | undefined {
  if (!args.some((a) => a.includes(REPLACEMENT))) return undefined;
  const bytes = raw(args.length);
  // The raw entries must be these arguments: the same text once decoded as Node decodes them.
  const aligned = bytes?.every((b, i) => b.toString('utf8') === args[i]) ? bytes : undefined;
  const index = args.findIndex((a, i) => a.includes(REPLACEMENT) && (!aligned || !isValidUtf8(aligned[i]!)));
  return index === -1 ? undefined : index;
}

/** Refuses (exit 2) a run whose arguments lost bytes in decoding, before anything is read or sent. */
export function refuseLossyArguments(args: readonly string[]): void {
  const index = lossyArgument(args);
  if (index === undefined) return;
  throw new UsageError(
    `argument ${index + 1} ("${args[index]!.replaceAll(REPLACEMENT, '\\uFFFD')}") is not valid UTF-8: its undecodable bytes would be sent as U+FFFD; nothing was done`,
    'set a UTF-8 locale for the terminal, or convert the text and pipe it: `iconv -f GBK -t UTF-8 prompt.txt | llm-gateway chat`',
  );
}
