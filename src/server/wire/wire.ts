// What each wire format (OpenAI, Anthropic) provides the routes: read a request, write a whole answer, write a
// stream piece by piece, write an error. Routes speak to this interface only, so adding a field is additive.
import type { ChatResult, GatewayEvent } from '../../core/gateway.ts';
import type { HttpError } from '../http-error.ts';
import type { WireRequest } from './request.ts';

export interface AnswerMeta {
  /** Our id for this HTTP request; the response ids are made from it. */
  id: string;
  /** Epoch seconds. */
  created: number;
  /** The prompt estimate, for wires that announce input tokens before the answer (Anthropic's message_start). */
  inputEstimate: number;
  /**
   * Anthropic's signature of the answer's thinking, when the upstream gave one (it arrives on a reasoning delta and
   * the core's ChatResult keeps only the text): an Anthropic client must send it back with the thinking block.
   */
  reasoningSignature?: string;
}

/** A piece of the answer as the gateway streams it: text, reasoning, and the pieces of each tool call. */
export type AnswerEvent = Extract<
  GatewayEvent,
  { type: 'text-delta' | 'reasoning-delta' | 'tool-call-start' | 'tool-call-delta' | 'tool-call-end' }
>;

/** Turns the gateway's stream into the wire's SSE text; each method returns what to write ('' for nothing yet). */
export interface StreamEncoder {
  /** Once, before the first piece, when the answering model is known. */
  start(model: string): string;
  /** Each piece of the answer, in the order the gateway passes them on. */
  event(piece: AnswerEvent): string;
  /** After the last piece: the finish, the usage and the terminator. */
  finish(result: ChatResult): string;
  /** A failure after the stream started: the wire's in-stream error event (no terminator follows). */
  error(err: HttpError): string;
}

export interface Wire {
  name: 'openai' | 'anthropic' | 'openai-responses';
  read(body: unknown): WireRequest;
  /** `request`: what read() gave, for a wire whose answer echoes the request (the Responses API). */
  json(result: ChatResult, meta: AnswerMeta, request: WireRequest): unknown;
  stream(request: WireRequest, meta: AnswerMeta): StreamEncoder;
  errorBody(err: HttpError): unknown;
}

export function isAnswerEvent(event: GatewayEvent): event is AnswerEvent {
  return event.type === 'text-delta' || event.type === 'reasoning-delta' || event.type.startsWith('tool-call-');
}

/** One SSE event, as both wires frame them. */
export function sse(data: string, event?: string): string {
  return event ? `event: ${event}\ndata: ${data}\n\n` : `data: ${data}\n\n`;
}
