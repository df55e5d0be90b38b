// The OpenAI chat-completions wire, as the routes use it: its reader, its JSON and stream writers, its errors.
import { readOpenAiRequest } from './openai-in.ts';
import { openAiCompletion, openAiError } from './openai-out.ts';
import { openAiStream } from './openai-stream.ts';
import type { Wire } from './wire.ts';

export const openAiWire: Wire = {
  name: 'openai',
  read: readOpenAiRequest,
  json: openAiCompletion,
  stream: openAiStream,
  errorBody: openAiError,
};
