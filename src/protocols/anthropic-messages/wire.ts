// The Anthropic Messages wire, as the routes use it: its reader, its JSON and stream writers, its errors.
import { readAnthropicRequest } from './request-decode.ts';
import { anthropicError, anthropicMessage } from './answer-encode.ts';
import { anthropicStream } from './stream-encode.ts';
import type { Wire } from '../../server/wire/wire.ts';

export const anthropicWire: Wire = {
  name: 'anthropic',
  read: (body) => readAnthropicRequest(body),
  json: anthropicMessage,
  stream: anthropicStream,
  errorBody: anthropicError,
};
