// The Anthropic Messages wire, as the routes use it: its reader, its JSON and stream writers, its errors.
import { readAnthropicRequest } from './anthropic-in.ts';
import { anthropicError, anthropicMessage } from './anthropic-out.ts';
import { anthropicStream } from './anthropic-stream.ts';
import type { Wire } from './wire.ts';

export const anthropicWire: Wire = {
  name: 'anthropic',
  read: (body) => readAnthropicRequest(body),
  json: anthropicMessage,
  stream: anthropicStream,
  errorBody: anthropicError,
};
