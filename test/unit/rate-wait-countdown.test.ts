// What `chat` shows on stderr while the gateway waits out a rate limit (src/cli/chat/rate-wait.ts): a countdown in
// the spinner on a terminal, ticking with the clock (a fake one here, advanced by hand), and one line otherwise.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { showWait } from '../../src/cli/chat/rate-wait.ts';

const event = { type: 'wait' as const, provider: 'groq', model: 'llama-3.1-8b-instant', ms: 20_000, reason: '429' };

test('on a terminal the spinner counts down to the retry, and stops when told', (t) => {
  t.mock.timers.enable({ apis: ['setInterval'] });
  let now = 1_000_000;
  const shown: string[] = [];
  const notes: string[] = [];
  const stop = showWait({ note: (s) => notes.push(s) }, { text: (s) => shown.push(s), stop() {} }, event, () => now);
  for (let i = 0; i < 3; i++) {
    now += 1000;
    t.mock.timers.tick(1000);
  }
  stop();
  now += 1000;
  t.mock.timers.tick(1000);
  assert.deepEqual(
    shown,
    [20, 19, 18, 17].map((s) => `groq rate-limits llama-3.1-8b-instant: asking again in ${s} s`),
  );
  assert.deepEqual(notes, []);
});

test('without a terminal one line says how long and why', () => {
  const notes: string[] = [];
  showWait({ note: (s) => notes.push(s) }, undefined, event)();
  assert.deepEqual(notes, [
    'groq rate-limits llama-3.1-8b-instant: asking again in 20 s (the limit lifts then; nothing else can answer)',
  ]);
});
