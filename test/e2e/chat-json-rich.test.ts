// `chat --json` with what rich models return beside the text: tool calls (id, name, the JSON arguments as the model
// wrote them) and reasoning text, from both wire formats, and a stable shape when there is neither.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { ChatE2E } from '../helpers/chat-e2e.ts';

const e2e = new ChatE2E();
after(() => {
  e2e.assertNoCanaries();
  return e2e.close();
});

test('OpenAI-compatible: reasoning_content and streamed tool_calls reach --json; the reasoning is not the text', async () => {
  const s = await e2e.scenario({
    keys: ['groq'],
    steps: [
      {
        reasoning: ['The user wants ', 'the weather.'],
        text: ['Let me look.'],
        toolCalls: [
          { id: 'call_a1', name: 'get_weather', arguments: ['{"city":', ' "Paris"}'] },
          { id: 'call_b2', name: 'get_time', arguments: ['{"tz": "Europe/Paris"}'] },
        ],
        finish: 'tool_calls',
      },
    ],
  });
  const r = await s.run(['chat', '--json', 'weather and time in Paris?']);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.text, 'Let me look.');
  assert.equal(out.reasoning, 'The user wants the weather.');
  assert.deepEqual(out.toolCalls, [
    { id: 'call_a1', name: 'get_weather', arguments: '{"city": "Paris"}' },
    { id: 'call_b2', name: 'get_time', arguments: '{"tz": "Europe/Paris"}' },
  ]);
  assert.equal(out.finishReason, 'tool_calls');
});

test('Anthropic: a thinking block and a tool_use block reach --json the same way', async () => {
  const s = await e2e.scenario({
    keys: ['anthropic'],
    steps: [
      {
        reasoning: ['Need a lookup.'],
        toolCalls: [{ id: 'toolu_01', name: 'lookup', arguments: ['{"q": "x"}'] }],
        finish: 'tool_use',
      },
    ],
  });
  const r = await s.run(['chat', '--json', '--allow-paid', '-m', 'anthropic:claude-haiku-5-5', 'look x up']);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.text, '');
  assert.equal(out.reasoning, 'Need a lookup.');
  assert.deepEqual(out.toolCalls, [{ id: 'toolu_01', name: 'lookup', arguments: '{"q": "x"}' }]);
});

test('a plain answer has toolCalls [] and reasoning null, so a script can read both fields always', async () => {
  const s = await e2e.scenario({ keys: ['groq'] });
  const out = JSON.parse((await s.run(['chat', '--json', 'hi'])).stdout);
  assert.deepEqual([out.text, out.toolCalls, out.reasoning], ['Hello, world', [], null]);
});
