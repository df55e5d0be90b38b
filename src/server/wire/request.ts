// The request both wire readers produce: what the gateway core needs, plus how the client wants the answer back.
import type { Message } from '../../core/types.ts';

export interface WireRequest {
  /** As the client wrote it: an id, an alias, `provider:model`, `auto` or a scenario name. */
  model: string;
  messages: Message[];
  maxTokens?: number;
  temperature?: number;
  stream: boolean;
  /** OpenAI `stream_options.include_usage`: a final chunk with the token counts. */
  includeUsage: boolean;
}
