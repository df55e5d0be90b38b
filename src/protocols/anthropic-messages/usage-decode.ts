// An Anthropic stream's usage as the core's (docs.anthropic.com/en/docs/build-with-claude/streaming): input from
// message_start, cumulative counts from each message_delta. The other direction is answer-encode.ts's anthropicUsage.
import type { Usage } from '../../core/types.ts';

type Counts = {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
};

/**
 * message_start carries the input side; every message_delta carries *cumulative* counts, so the last value of
 * each field wins — never a sum. Cache writes and reads are input the provider processed, so they count as input,
 * and are also kept apart (cacheWriteTokens, cacheReadTokens) for the ledger.
 */
export class UsageTally {
  private input?: number;
  private cacheWrite = 0;
  private cacheRead = 0;
  private output?: number;

  /** message_start's output_tokens is a placeholder (1), so only its input side is taken. */
  start(u: Counts | undefined | null) {
    this.take(u ? { ...u, output_tokens: undefined } : u);
  }

  delta(u: Counts | undefined | null) {
    this.take(u);
  }

  result(): Usage | null {
    if (this.input === undefined || this.output === undefined) return null; // the gateway will estimate
    return {
      inputTokens: this.input + this.cacheWrite + this.cacheRead,
      outputTokens: this.output,
      ...(this.cacheRead ? { cacheReadTokens: this.cacheRead } : {}),
      ...(this.cacheWrite ? { cacheWriteTokens: this.cacheWrite } : {}),
      estimated: false,
    };
  }

  private take(u: Counts | undefined | null) {
    if (!u) return;
    if (typeof u.input_tokens === 'number') this.input = u.input_tokens;
    if (typeof u.cache_creation_input_tokens === 'number') this.cacheWrite = u.cache_creation_input_tokens;
    if (typeof u.cache_read_input_tokens === 'number') this.cacheRead = u.cache_read_input_tokens;
    if (typeof u.output_tokens === 'number') this.output = u.output_tokens;
  }
}
