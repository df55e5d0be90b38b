// The request both wire readers produce: what the gateway core needs, plus how the client wants the answer back.
// The rich fields (tools, tool choice, response format, stop sequences) are the core's own (RichRequest), so a
// request read from one wire can be answered by an adapter of the other protocol.
import type { Message, RichRequest } from '../../core/types.ts';

export interface WireRequest extends RichRequest {
  /** As the client wrote it: an id, an alias, `provider:model`, `auto` or a scenario name. */
  model: string;
  messages: Message[];
  maxTokens?: number;
  temperature?: number;
  stream: boolean;
  /** OpenAI `stream_options.include_usage`: a final chunk with the token counts. */
  includeUsage: boolean;
  /** The client switched thinking on (Anthropic `thinking`): a Claude family id then takes the reasoning route. */
  thinking?: boolean;
  /** Hints accepted and not forwarded (field-policy.ts), for the request log. */
  dropped?: string[];
  /** What the wire's writers need from the request (the Responses API echoes it); never given to the gateway. */
  answerShape?: unknown;
}
