// What a client is told when a request needs something (images) that models on its route lack: the error map's
// words for the router's missing_capability skips, alone or beside another cause (no key).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { noCandidateError } from '../../src/core/gateway-errors.ts';
import type { RoutePlan, Skip } from '../../src/core/types.ts';
import { httpErrorOf } from '../../src/server/error-map.ts';

const lacksVision: Skip = {
  model: 'llama-3.1-8b-instant',
  provider: 'groq',
  reason: 'missing_capability',
  missing: ['vision'],
  detail: 'lacks vision (has text, code, tools, json)',
};
const noKey: Skip = {
  model: 'claude-sonnet-5',
  provider: 'anthropic',
  reason: 'no_key',
  configured: true,
  keyEnv: ['ANTHROPIC_API_KEY'],
  detail: 'no key',
};
const plan = (skipped: Skip[]): RoutePlan => ({ at: 0, target: 'auto', candidates: [], skipped });
const ctx = { secrets: [] };

test('only models without vision: 400 on messages, code missing_capability, saying the request needs images', () => {
  const err = httpErrorOf(noCandidateError(plan([lacksVision])), ctx);
  assert.equal(err.status, 400);
  assert.equal(err.param, 'messages');
  assert.equal(err.code, 'missing_capability');
  assert.match(
    err.message,
    /^no model can take this request \(auto\), which needs images \(vision\): llama-3\.1-8b-instant \(groq\): lacks vision/,
  );
});

test('a vision model without a key beside a text-only one: 503 naming the key, and why the other was passed over', () => {
  const err = httpErrorOf(noCandidateError(plan([noKey, lacksVision])), ctx);
  assert.equal(err.status, 503);
  assert.match(err.message, /add one for anthropic \(ANTHROPIC_API_KEY/);
  assert.match(err.message, /the request needs images \(vision\), which llama-3\.1-8b-instant \(groq\) lacks$/);
});
