// The OpenAI Responses API (POST /v1/responses), as the routes use it: its reader, its JSON and stream writers, its
// errors. A third protocol on the same gateway loop: any provider answers it, whatever protocol that one speaks.
import type { Wire } from '../../server/wire/wire.ts';
import { readResponsesRequest, type ResponsesShape } from './request-decode.ts';
import { responsesError, responsesObject } from './answer-encode.ts';
import { responsesStream } from './stream-encode.ts';

export const openAiResponsesWire: Wire = {
  name: 'openai-responses',
  read: readResponsesRequest,
  json: (result, meta, request) => responsesObject(result, meta, request.answerShape as ResponsesShape),
  stream: responsesStream,
  errorBody: responsesError,
};
