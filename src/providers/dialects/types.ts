// The vocabulary of provider dialects: what one upstream error says (status, code, type, message, headers, read
// together) and the rules, as data, that say what it means. A rule names the public page it copies in `source`.
import type { UpstreamErrorKind } from '../../core/errors.ts';

/** How long a rate limit's window is, as the provider words it (RPM, TPD, "per second", ...). */
export type RateWindow = 'second' | 'minute' | 'hour' | 'day' | 'month';

/** One upstream error, read from wherever its dialect puts the fields. */
export interface ErrorSignal {
  /** Undefined for an error event inside a 200 stream. */
  status?: number;
  /** The provider's own code, as text (SiliconFlow's numeric 20012 becomes "20012"). */
  code?: string;
  type?: string;
  /** The provider's message, '' when it sent none. */
  message: string;
  header(name: string): string | undefined;
}

export interface Rule {
  /** The public page (or issue thread) this rule copies. */
  source: string;
  /** Every field given must match; a missing field matches anything. */
  status?: number | readonly number[];
  code?: string | RegExp;
  type?: string | RegExp;
  /** Tested against the message (and code and type, joined), case-insensitively by the pattern's own flags. */
  message?: RegExp;
  kind: UpstreamErrorKind;
  /** For rate limits: the window the provider means; otherwise read from the message (TPM, per day, ...). */
  window?: RateWindow;
}

export interface Dialect {
  id: string;
  /** Checked in order before the common rules (which every dialect shares). */
  rules: readonly Rule[];
}

/** What a dialect makes of an error. */
export interface Classification {
  kind: UpstreamErrorKind;
  /** How long the provider asked us to wait, capped (see wait.ts). */
  retryAfterMs?: number;
  window?: RateWindow;
}
