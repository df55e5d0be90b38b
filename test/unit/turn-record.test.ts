import assert from 'node:assert/strict';
import { test } from 'node:test';
import { refusedInput, type TurnTrace } from '../../src/cli/chat/turn-record.ts';
import { LookupError, UsageError } from '../../src/core/errors.ts';

const untried: TurnTrace = { at: 0, started: 0, fallbacks: [] };
const tried: TurnTrace = { ...untried, current: { model: 'm', provider: 'p', billing: 'free-tier' } };

test('a chat refused for its own input before routing (unknown model, bad flag) is not a logged request', () => {
  const unknown = new LookupError({ code: 'unknown_model', selector: 'nosuchmodel', nearest: [] }, 'unknown model');
  assert.equal(refusedInput(untried, { err: unknown }), true);
  assert.equal(refusedInput(untried, { err: new UsageError('--temperature must be a number') }), true);
});

test('a request that reached a model, or failed for another reason, is still logged', () => {
  assert.equal(refusedInput(tried, { err: new UsageError('bad') }), false);
  assert.equal(refusedInput(untried, { err: new Error('bug') }), false);
});
