// Issue 17.4 through the real `serve`: an Anthropic client's prompt-caching breakpoints, thinking switch and effort
// reach an Anthropic upstream where the client put them, turn after turn, and the cache reads the upstream reports
// land in the ledger (`usage --json`). The bodies follow what Claude Code sends (docs.anthropic.com/en/docs/
// build-with-claude/prompt-caching: `cache_control` on system, tools and message blocks).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { runBin } from '../helpers/cli.ts';
import { rawRequest, startServe, type Served } from '../helpers/serve.ts';

const EPHEMERAL = { type: 'ephemeral' };
const THINKING = { type: 'adaptive', display: 'omitted' };

const firstTurn = [
  { role: 'user', content: [{ type: 'text', text: 'What is in notes.txt?', cache_control: EPHEMERAL }] },
];
const secondTurn = [
  ...firstTurn,
  { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_01', name: 'Read', input: { path: 'notes.txt' } }] },
  {
    role: 'user',
    content: [{ type: 'tool_result', tool_use_id: 'toolu_01', content: 'buy milk', cache_control: EPHEMERAL }],
  },
];

function body(messages: unknown[]) {
  return {
    model: 'claude-sonnet-4-20250514',
    max_tokens: 2048,
    system: [{ type: 'text', text: 'You are Claude Code.', cache_control: EPHEMERAL }],
    tools: [
      {
        name: 'Read',
        description: 'Read a file',
        input_schema: { type: 'object', properties: { path: { type: 'string' } } },
        cache_control: EPHEMERAL,
      },
    ],
    thinking: THINKING,
    output_config: { effort: 'medium' },
    messages,
  };
}

describe('an Anthropic client through serve to an Anthropic upstream', () => {
  let s: Served;
  before(async () => {
    s = await startServe({ keys: ['anthropic'], args: ['--allow-paid'] });
  });
  after(async () => {
    assert.equal(await s.stop(), 0);
  });

  const post = (messages: unknown[]) =>
    rawRequest(s.url, {
      method: 'POST',
      path: '/v1/messages',
      headers: { 'x-api-key': s.key, 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify(body(messages)),
    });

  test('cache_control, thinking and effort arrive as sent; cache reads are recorded', async () => {
    s.fake.script(
      {
        toolCalls: [{ id: 'toolu_01', name: 'Read', arguments: ['{"path":', '"notes.txt"}'] }],
        usage: { input: 40, output: 12, cacheWrite: 1500 },
      },
      { text: ['It says: buy milk.'], usage: { input: 30, output: 8, cacheRead: 1500 } },
    );
    const one = await post(firstTurn);
    assert.equal(one.status, 200, one.body);
    assert.equal(JSON.parse(one.body).usage.cache_creation_input_tokens, 1500);
    const two = await post(secondTurn);
    assert.equal(two.status, 200, two.body);
    assert.equal(JSON.parse(two.body).usage.cache_read_input_tokens, 1500);

    const sent = s.fake.requests.filter((r) => r.format === 'anthropic').at(-1)!.body;
    assert.deepEqual(sent.system, [{ type: 'text', text: 'You are Claude Code.', cache_control: EPHEMERAL }]);
    assert.deepEqual(sent.tools[0].cache_control, EPHEMERAL);
    assert.deepEqual(sent.messages[0].content, firstTurn[0]!.content, 'the first turn keeps its breakpoint');
    assert.deepEqual(sent.messages[2].content[0].cache_control, EPHEMERAL, 'so does the tool result');
    assert.deepEqual(sent.thinking, THINKING);
    assert.deepEqual(sent.output_config, { effort: 'medium' });
    assert.doesNotMatch(s.stdout(), /dropped: \[[^\]]*(cache_control|thinking|effort)/);

    const usage = await runBin(['usage', '--json'], { env: s.env });
    assert.equal(usage.code, 0, usage.stderr);
    const total = JSON.parse(usage.stdout).total;
    assert.equal(total.cacheReadTokens, 1500);
    assert.equal(total.calls, 2);
  });
});
