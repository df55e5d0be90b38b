// The OpenAI chat-completions wire, as the routes use it: its reader, its JSON and stream writers, its errors.
import { readOpenAiRequest } from './request-decode.ts';
import { openAiCompletion, openAiError } from './answer-encode.ts';
import { openAiStream } from './stream-encode.ts';
import type { Wire } from '../../server/wire/wire.ts';

export const openAiWire: Wire = {
  name: 'openai',
  read: readOpenAiRequest,
  json: openAiCompletion,
  stream: openAiStream,
  errorBody: openAiError,
};
