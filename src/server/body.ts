// Reads a JSON request body with a size limit. A declared Content-Length over the limit is refused before a byte
// is read; a body that grows past it is cut off. Invalid JSON is a 400 that says where, never a stack trace.
import type { IncomingMessage } from 'node:http';
import { MAX_JSON_DEPTH, tooDeepAt } from '../lib/json-depth.ts';
import { badRequest, HttpError } from './http-error.ts';

/**
 * The whole body's nesting limit, a backstop above the readers' own (MAX_JSON_DEPTH from the field that holds a
 * schema or a tool input, which itself sits a few levels down): a body nested thousands deep would otherwise reach
 * a recursive walk (an error message quoting it, the token estimate) before any reader looked at it.
 */
export const MAX_BODY_DEPTH = 4 * MAX_JSON_DEPTH;

export const DEFAULT_BODY_LIMIT = 10 * 1024 * 1024;

function tooLarge(limit: number): HttpError {
  return new HttpError(
    'request_too_large',
    `the request body is larger than this server's limit of ${limit} bytes`,
    undefined,
    {},
    'body_too_large',
  );
}

export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(tooLarge(limit));
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        req.resume(); // drain quietly; the response says 413 and closes the connection
        reject(tooLarge(limit));
        return;
      }
      parts.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(parts.length === 1 ? parts[0]! : Buffer.concat(parts));
    };
    const onError = (err: Error) => {
      cleanup();
      reject(err);
    };
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

export async function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
  const type = req.headers['content-type'];
  if (type !== undefined && !/^application\/json\b|\+json\b/i.test(type)) {
    throw badRequest(
      'content-type',
      `the body must be JSON (Content-Type: application/json), got ${String(type).slice(0, 60)}`,
    );
  }
  const bytes = await readBody(req, limit);
  if (bytes.length === 0) throw badRequest('body', 'the request body is empty; send a JSON object');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw badRequest('body', 'the request body is not valid UTF-8');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    // JSON.parse says where it stopped ("… at position 12"); that is all the client needs.
    const where = /position \d+/.exec((err as Error).message)?.[0];
    throw badRequest('body', `the request body is not valid JSON${where ? ` (${where})` : ''}`, 'invalid_json');
  }
  const deep = tooDeepAt(parsed, MAX_BODY_DEPTH);
  if (deep !== undefined) {
    // The path to the too-deep place, cut after a few steps: its start names the field; the rest is the nesting.
    const field = deep.replace(/^\./, '').match(/^(?:[^.[\]]+|\[\d+\])(?:\.[^.[\]]+|\[\d+\]){0,4}/)?.[0] ?? 'body';
    throw badRequest(
      field,
      `${field}…: the request body is nested more than ${MAX_BODY_DEPTH} levels deep`,
      'nested_too_deep',
    );
  }
  return parsed;
}
