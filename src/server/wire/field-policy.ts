// The forward-compatible request policy, written once: every top-level field a wire knows has one class, and one
// rule (sortFields) acts on the class. Clients add tuning hints faster than any gateway follows (Claude Code sends
// `context_management` and `output_config.effort` on every request); refusing them turns a working client away,
// while ignoring a field that changes what the answer means would answer a different question.
import { badRequest } from '../http-error.ts';
import { notSupported, refuseUpstreamFields } from './fields.ts';

export type FieldClass =
  /** Read and given to the gateway. */
  | { class: 'carried' }
  /** Tunes how the upstream works (effort, caching, bookkeeping): accepted; where not forwarded, dropped and logged. */
  | { class: 'tunes' }
  /** Changes what the answer means and cannot be carried: a 400 naming the field. `what` says what it asks for. */
  | { class: 'changes-meaning'; what: string };

export const CARRIED: FieldClass = { class: 'carried' };
export const TUNES: FieldClass = { class: 'tunes' };
export const refused = (what: string): FieldClass => ({ class: 'changes-meaning', what });

/**
 * The body's top-level fields against a wire's table: upstream-choosing fields first (their own message), then the
 * refused ones, then anything unknown (a 400: an ignored unknown field could change the answer behind the caller's
 * back). Returns the `tunes` fields present, which the caller drops unless it forwards them.
 */
export function sortFields(body: Record<string, unknown>, table: Readonly<Record<string, FieldClass>>): string[] {
  refuseUpstreamFields(body);
  const present = Object.keys(body).filter((f) => body[f] !== undefined && body[f] !== null);
  for (const field of present) {
    const rule = Object.hasOwn(table, field) ? table[field] : undefined;
    if (rule?.class === 'changes-meaning') throw notSupported(field, rule.what);
  }
  for (const field of Object.keys(body)) {
    if (!Object.hasOwn(table, field)) throw badRequest(field, `${field}: unrecognised request field`, 'unknown_field');
  }
  return present.filter((f) => table[f]!.class === 'tunes');
}
