// Field names every JS object answers to (`toString`, `constructor`, `hasOwnProperty`, `__proto__`) were looked up
// on the plain object of unsupported fields, so `{"toString": 1}` got a 400 reading "does not support function
// toString() { [native code] }". They are unknown fields like any other.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HttpError } from '../../src/server/http-error.ts';
import { readAnthropicRequest } from '../../src/protocols/anthropic-messages/request-decode.ts';
import { readOpenAiRequest } from '../../src/protocols/openai-chat/request-decode.ts';

const NAMES = ['toString', 'constructor', 'hasOwnProperty', 'valueOf', '__proto__'];

test('a field named like an Object.prototype member is an unrecognised request field on both endpoints', () => {
  for (const name of NAMES) {
    // JSON.parse makes __proto__ an own property, as the server's body reader does.
    const openai = JSON.parse(
      `{"model":"llama","messages":[{"role":"user","content":"hi"}],${JSON.stringify(name)}:1}`,
    );
    const anthropic = JSON.parse(
      `{"model":"llama","max_tokens":5,"messages":[{"role":"user","content":"hi"}],${JSON.stringify(name)}:1}`,
    );
    for (const read of [() => readOpenAiRequest(openai), () => readAnthropicRequest(anthropic)]) {
      assert.throws(read, (err: unknown) => {
        assert.ok(err instanceof HttpError, String(err));
        assert.equal(err.message, `${name}: unrecognised request field`);
        return true;
      });
    }
  }
});
