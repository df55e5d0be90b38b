// Every upstream is bounded (issue 21.5): an endless stream grew to 4.3 GB and died out of memory with no usage
// recorded. Past LLM_GATEWAY_MAX_ANSWER_BYTES (or a line past LLM_GATEWAY_MAX_LINE_BYTES) the call ends with
// "upstream sent more than …": the part already printed stays, the usage is recorded, the exit code says it failed.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { ChatE2E, LLAMA } from '../helpers/chat-e2e.ts';

const e2e = new ChatE2E();
after(() => e2e.close());

test('a stream past the answer cap ends the call with a clear error; what came is printed and its usage recorded', async () => {
  const chunks = Array.from({ length: 400 }, (_, i) => `chunk-${i} ${'x'.repeat(90)}\n`); // ~40 KB of answer
  const s = await e2e.scenario({ keys: ['groq'], steps: [{ text: chunks }] });
  const run = await s.run(['chat', '-m', `groq:${LLAMA}`, 'go on for ever'], {
    env: { LLM_GATEWAY_MAX_ANSWER_BYTES: '20000' },
  });
  assert.equal(run.code, 1, run.stderr);
  assert.match(run.stderr, /groq: upstream sent more than 20000 bytes/);
  assert.match(run.stdout, /^chunk-0 /, 'the answer so far was printed');
  assert.doesNotMatch(run.stdout, /chunk-399/);
  const rows = s.usageRows();
  assert.equal(rows.length, 1, 'the usage was recorded');
  assert.ok(rows[0]!.output_tokens > 0);
});

test('a line past the line limit is refused with an error naming the limit (the retry meets the same)', async () => {
  const long = { rawSse: `data: ${'y'.repeat(50_000)}\n\n` };
  const s = await e2e.scenario({ keys: ['groq'], steps: [long, long] });
  const run = await s.run(['chat', '-m', `groq:${LLAMA}`, 'hi'], { env: { LLM_GATEWAY_MAX_LINE_BYTES: '10000' } });
  assert.equal(run.code, 1, run.stderr);
  assert.match(run.stderr, /upstream sent a line longer than 10000 bytes/);
  assert.equal(s.fake.requests.length, 2);
});
