// A huge answer (issue 9.3): a 200 MB stream used 1.3 GB and was stored whole in the ledger. The terminal (here a
// pipe) still gets every byte; the conversation store keeps the first LLM_GATEWAY_MAX_STORED_ANSWER bytes and a
// mark of what it left out — and that stored text is what a later `chat -c` sends back as context.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { byteSize, storedText } from '../../src/cli/chat/stored-answer.ts';
import { AnswerText } from '../../src/core/answer-text.ts';
import { estimateTokens } from '../../src/core/estimate.ts';
import { ChatE2E, LLAMA, lastMessages } from '../helpers/chat-e2e.ts';

const e2e = new ChatE2E();
after(() => e2e.close());

const LIMIT = 8_000; // small enough that the stored answer, sent back with -c, fits the free model's rate window

test('a 20 MB streamed answer was stored whole: all of it is printed, its first bytes are stored with a truncation mark', async () => {
  const chunk = 'x'.repeat(9_999) + '\n';
  const chunks = Array.from({ length: 2_000 }, () => chunk); // 20,000,000 bytes
  const s = await e2e.scenario({ keys: ['groq'], steps: [{ text: chunks }, { text: ['ok'] }] });
  const env = { LLM_GATEWAY_MAX_STORED_ANSWER: String(LIMIT) };
  const big = await s.run(['chat', '-m', `groq:${LLAMA}`, 'write a lot'], { env });
  assert.equal(big.code, 0, big.stderr);
  assert.equal(big.stdout.length, 20_000_000, 'the terminal gets every byte');

  const next = await s.run(['chat', '-c', '-m', `groq:${LLAMA}`, 'and now?'], { env });
  assert.equal(next.code, 0, next.stderr);
  const stored = lastMessages(s.fake)[1]!;
  assert.equal(stored.role, 'assistant');
  const mark = '…[truncated by llm-gateway: 19.9 MB not stored]';
  assert.ok(stored.content.endsWith(mark), `stored answer ends with: ${stored.content.slice(-80)}`);
  assert.equal(Buffer.byteLength(stored.content) - Buffer.byteLength(mark), LIMIT, 'the first LIMIT bytes are kept');
  assert.ok(stored.content.startsWith(chunk.slice(0, LIMIT)), 'the kept part is the start of the answer');
});

test('chat --json still prints the whole answer; the store keeps its marked start', async () => {
  const s = await e2e.scenario({
    keys: ['groq'],
    steps: [{ text: ['a'.repeat(3_000), 'b'.repeat(3_000)] }, { text: ['ok'] }],
  });
  const env = { LLM_GATEWAY_MAX_STORED_ANSWER: '4000' };
  const run = await s.run(['chat', '--json', '-m', `groq:${LLAMA}`, 'write'], { env });
  assert.equal(run.code, 0, run.stderr);
  assert.equal(JSON.parse(run.stdout).text.length, 6_000);
  await s.run(['chat', '-c', 'next'], { env });
  assert.equal(
    lastMessages(s.fake)[1]!.content,
    `${'a'.repeat(3_000)}${'b'.repeat(1_000)}…[truncated by llm-gateway: 2 KB not stored]`,
  );
});

test('a bad LLM_GATEWAY_MAX_STORED_ANSWER is a usage error naming it', async () => {
  const s = await e2e.scenario({ keys: ['groq'] });
  const run = await s.run(['chat', '-m', `groq:${LLAMA}`, 'hi'], { env: { LLM_GATEWAY_MAX_STORED_ANSWER: '1e6' } });
  assert.equal(run.code, 2);
  assert.match(run.stderr, /LLM_GATEWAY_MAX_STORED_ANSWER must be a positive whole number of bytes/);
});

test('the kept part is a prefix cut on a character boundary, and the estimate counts what was not kept', () => {
  const text = new AnswerText(5);
  for (const delta of ['ab', 'c€', 'def']) text.add(delta); // € is 3 bytes: 'abc' fits, 'abc€' does not
  assert.equal(text.text, 'abc');
  assert.equal(text.omittedBytes, 3 + 3);
  assert.equal(text.tokensWith(''), estimateTokens('abc€def'));
  assert.equal(
    storedText({ text: 'abc', textOmittedBytes: 6 }, 5),
    'abc…[truncated by llm-gateway: 6 bytes not stored]',
  );
  assert.equal(storedText({ text: 'short' }, 5), 'short');
  assert.equal(byteSize(187_399_999), '187.3 MB');
});

test('no key canary in any output or file', () => {
  e2e.assertNoCanaries();
});
