// A model that answers with tool calls and no text: human-mode `chat` printed an empty line and exited 0 without a
// word, as if nothing had come back. It now says on stderr what came back and how to read it.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { ChatE2E } from '../helpers/chat-e2e.ts';

const e2e = new ChatE2E();
after(() => e2e.close());

test('a tool-calls-only answer in human mode: a note on stderr naming the calls and --json, nothing on stdout', async () => {
  const s = await e2e.scenario({
    keys: ['groq'],
    steps: [
      {
        toolCalls: [
          { id: 'call_a1', name: 'get_weather', arguments: ['{"city": "Paris"}'] },
          { id: 'call_b2', name: 'get_time', arguments: ['{}'] },
        ],
        finish: 'tool_calls',
      },
    ],
  });
  for (const args of [
    ['chat', 'weather?'],
    ['chat', '--quiet', 'weather?'],
  ]) {
    if (args.includes('--quiet'))
      s.fake.script({ toolCalls: [{ id: 'c', name: 'get_time', arguments: ['{}'] }], finish: 'tool_calls' });
    const r = await s.run(args);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), '');
    assert.match(
      r.stderr,
      args.includes('--quiet')
        ? /the model answered with 1 tool call: get_time\(…\); use --json to read them/
        : /the model answered with 2 tool calls: get_weather\(…\), get_time\(…\); use --json to read them/,
    );
  }
});

test('with --json there is no note: the calls are in the JSON', async () => {
  const s = await e2e.scenario({
    keys: ['groq'],
    steps: [{ toolCalls: [{ id: 'c', name: 'f', arguments: ['{}'] }], finish: 'tool_calls' }],
  });
  const r = await s.run(['chat', '--json', 'x']);
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /tool call/);
  assert.equal(JSON.parse(r.stdout).toolCalls.length, 1);
});
