// `llm-gateway chat` one-shot, end to end: the built binary in a subprocess against the loopback fake upstream, as a
// script or a person at a shell uses it. What is checked is what they would notice: the bytes on stdout, the line on
// stderr, the exit code, what the provider was sent, and what the ledger recorded.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { MAX_INPUT_BYTES } from '../../src/cli/common/stdin.ts';
import { ANSI } from '../helpers/cli.ts';
import { ChatE2E, KEYS, lastMessages, LLAMA, QWEN } from '../helpers/chat-e2e.ts';

const e2e = new ChatE2E();
after(() => e2e.close());

test('piped prompt: exactly the answer and a newline on stdout, the closing line on stderr, exact usage in the ledger', async () => {
  const s = await e2e.scenario({
    steps: [{ text: ['Bonjour', ', ', 'le monde', ' — 你好'], usage: { input: 123, output: 45 } }],
  });
  const r = await s.run(['chat'], { input: 'say hello\n' });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'Bonjour, le monde — 你好\n');
  assert.equal(r.stderr, '── Qwen2.5-7B-Instruct · siliconflow · 123 in + 45 out tokens · free tier: 499,832 left\n');
  assert.doesNotMatch(r.stdout + r.stderr, ANSI, 'no colour when piped');
  assert.deepEqual(s.models(), [QWEN]);
  assert.deepEqual(lastMessages(s.fake), [{ role: 'user', content: 'say hello\n' }]);
  assert.equal(
    s.fake.requests[0]!.authorization,
    `Bearer ${KEYS.siliconflow}`,
    'the SiliconFlow key, to SiliconFlow only',
  );
  assert.equal(s.fake.requests[0]!.body.stream_options?.include_usage, true);

  const qwen = (await s.quota()).get('siliconflow:Qwen2.5-7B-Instruct')!;
  assert.deepEqual([qwen.used, qwen.reserved, qwen.remaining], [168, 0, 499_832]);
  assert.deepEqual(s.usageRows(), [
    {
      provider: 'siliconflow',
      model: 'Qwen2.5-7B-Instruct',
      input_tokens: 123,
      output_tokens: 45,
      estimated: 0,
      outcome: 'ok',
      billing: 'free-tier',
    },
  ]);
});

test('an answer that already ends in a newline gets no second one', async () => {
  const s = await e2e.scenario({ keys: ['groq'], steps: [{ text: ['line 1\n', 'line 2\n'] }] });
  const r = await s.run(['chat', 'two lines please']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'line 1\nline 2\n');
});

test('a prompt argument and stdin make one user message `<prompt>\\n\\n<stdin>`; -s and --max-tokens are passed on', async () => {
  const s = await e2e.scenario({ keys: ['groq'] });
  const material = 'first line of notes\nsecond line, ünïcödé\n';
  const r = await s.run(['chat', '-s', 'You are terse.', '--max-tokens', '77', 'summarise', 'this'], {
    input: material,
  });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'Hello, world\n');
  assert.deepEqual(s.models(), [LLAMA]);
  const body = s.fake.requests[0]!.body;
  assert.deepEqual(body.messages, [
    { role: 'system', content: 'You are terse.' },
    { role: 'user', content: `summarise this\n\n${material}` },
  ]);
  assert.equal(body.max_tokens, 77);
  assert.equal(body.stream, true);
});

test('--json prints one object with the text, model, provider, usage and fallbacks; --no-stream prints the same text', async () => {
  // All three free tiers have a key; `-m provider:model` pins the one that answers.
  const s = await e2e.scenario({
    steps: [{ text: ['stream', 'ed'], usage: { input: 9, output: 2 } }, { text: ['stream', 'ed'] }],
  });
  const json = await s.run(['chat', '-m', 'groq:llama-3.1-8b-instant', '--json', 'hi']);
  assert.equal(json.code, 0, json.stderr);
  const out = JSON.parse(json.stdout);
  assert.equal(out.text, 'streamed');
  assert.equal(out.model, 'llama-3.1-8b-instant');
  assert.equal(out.provider, 'groq');
  assert.deepEqual(out.usage, { inputTokens: 9, outputTokens: 2 });
  assert.equal(out.usageEstimated, false);
  assert.deepEqual(out.fallbacks, []);
  assert.equal(out.billing, 'free-tier');
  assert.equal(out.freeRemaining, 1_000_000 - 11);
  assert.equal(typeof out.conversationId, 'string');

  const whole = await s.run(['chat', '-m', 'groq:llama-3.1-8b-instant', '--no-stream', 'hi']);
  assert.equal(whole.code, 0, whole.stderr);
  assert.equal(whole.stdout, 'streamed\n');
  assert.deepEqual(s.models(), [LLAMA, LLAMA]);
});

test('--explain prints the plan in order with the reasons for each skip, and calls nobody', async () => {
  const s = await e2e.scenario();
  const r = await s.run(['chat', '--explain', 'hello']);
  assert.equal(r.code, 0, r.stderr);
  const order = [...r.stdout.matchAll(/^ {2}\d\. (\S+) \((\w+)\)/gm)].map((m) => `${m[1]} (${m[2]})`);
  assert.deepEqual(order, [
    'Qwen2.5-7B-Instruct (siliconflow)',
    'llama-3.1-8b-instant (groq)',
    'moonshot-v1-8k (moonshot)',
  ]);
  assert.match(r.stdout, /- claude-haiku-5-5 \(anthropic\): no_key, no key: set ANTHROPIC_API_KEY/);
  assert.match(r.stdout, /- kimi-k2.5 \(moonshot\): paid_not_allowed/);
  assert.equal(s.fake.requests.length, 0);
  assert.ok(!existsSync(join(s.home, 'ledger.db')) || s.usageRows().length === 0);
});

test('-c continues the last conversation, --cid names one, --no-log stores no conversation but records usage', async () => {
  const s = await e2e.scenario({ keys: ['groq'], steps: [{ text: ['Paris.'] }, { text: ['About 2.1 million.'] }] });
  const first = await s.run(['chat', 'What is the capital of France?']);
  assert.equal(first.code, 0, first.stderr);
  const second = await s.run(['chat', '-c', 'And its population?']);
  assert.equal(second.code, 0, second.stderr);
  assert.equal(second.stdout, 'About 2.1 million.\n');
  assert.deepEqual(lastMessages(s.fake), [
    { role: 'user', content: 'What is the capital of France?' },
    { role: 'assistant', content: 'Paris.' },
    { role: 'user', content: 'And its population?' },
  ]);

  const named = await s.run(['chat', '--cid', 'trip', '--json', 'Plan a trip']);
  assert.equal(JSON.parse(named.stdout).conversationId, 'trip');
  await s.run(['chat', '--cid', 'trip', 'Make it shorter']);
  assert.deepEqual(
    lastMessages(s.fake).map((m) => m.content),
    ['Plan a trip', 'Hello, world', 'Make it shorter'],
  );

  const rowsBefore = s.usageRows().length;
  const unlogged = await s.run(['chat', '--no-log', '--json', 'A secret question']);
  assert.equal(unlogged.code, 0, unlogged.stderr);
  assert.equal(JSON.parse(unlogged.stdout).conversationId, null);
  assert.equal(s.usageRows().length, rowsBefore + 1, 'the usage of an unlogged exchange still counts');
  // The unlogged exchange is nowhere: -c picks up the conversation before it.
  await s.run(['chat', '-c', 'Continue']);
  const history = lastMessages(s.fake).map((m) => m.content);
  assert.ok(!history.includes('A secret question'), history.join(' | '));
  assert.deepEqual(history.slice(0, 2), ['Plan a trip', 'Hello, world']);

  const both = await s.run(['chat', '-c', '--cid', 'trip', 'x']);
  assert.equal(both.code, 2);
});

test('a continued conversation runs under its latest system prompt, sent once; -s "" sends none', async () => {
  const s = await e2e.scenario({ keys: ['groq'] });
  const systems = () =>
    lastMessages(s.fake)
      .filter((m) => m.role === 'system')
      .map((m) => m.content);
  for (const [args, expected] of [
    [['chat', '-s', 'Be terse.', 'one'], ['Be terse.']],
    [['chat', '-c', 'two'], ['Be terse.']],
    [['chat', '-c', '-s', 'Be kind.', 'three'], ['Be kind.']],
    [['chat', '-c', 'four'], ['Be kind.']],
    [['chat', '-c', '-s', '', 'five'], []],
  ] as const) {
    const r = await s.run([...args]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(systems(), expected, args.join(' '));
  }
  assert.deepEqual(
    lastMessages(s.fake)
      .filter((m) => m.role === 'user')
      .map((m) => m.content),
    ['one', 'two', 'three', 'four', 'five'],
  );
});

test('usage errors exit 2 at once and send nothing: no prompt, bad UTF-8, too much input, a bad flag, an unknown model', async () => {
  const s = await e2e.scenario();
  const empty = await s.run(['chat'], { input: '' });
  assert.equal(empty.code, 2);
  assert.match(empty.stderr, /no prompt/);
  assert.ok(empty.ms < 60_000, `took ${empty.ms} ms`); // a hang would last until the kill; a loaded machine takes seconds
  const blank = await s.run(['chat'], { input: ' \n\n' });
  assert.equal(blank.code, 2, 'whitespace is no prompt either');

  const binary = await s.run(['chat', 'what is this?'], {
    input: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0xff, 0xfe, 0x00, 0x41]),
  });
  assert.equal(binary.code, 2);
  assert.match(binary.stderr, /not valid UTF-8.*nothing was sent/);

  const huge = await s.run(['chat', 'summarise'], { input: Buffer.alloc(MAX_INPUT_BYTES + 1, 'a') });
  assert.equal(huge.code, 2);
  assert.match(huge.stderr, /larger than 2 MiB; nothing was sent/);

  const flag = await s.run(['chat', '--bogus', 'hi']);
  assert.equal(flag.code, 2);
  assert.match(flag.stderr, /unknown option '--bogus'/);
  for (const args of [
    ['--max-tokens', '0'],
    ['--temperature', '3'],
    ['--timeout', 'soon'],
  ]) {
    const bad = await s.run(['chat', ...args, 'hi']);
    assert.equal(bad.code, 2, `${args.join(' ')}: ${bad.stderr}`);
  }

  const unknown = await s.run(['chat', '-m', 'llama-3.1-8b', 'hi']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown model "llama-3\.1-8b"/);
  assert.match(unknown.stderr, /llama-3\.1-8b-instant/, 'names the nearest id');

  for (const r of [empty, blank, binary, huge, flag, unknown]) assert.equal(r.stdout, '');
  assert.equal(s.fake.requests.length, 0, 'the upstream received nothing');
  assert.ok(!existsSync(join(s.home, 'ledger.db')) || s.usageRows().length === 0);
});

test('no key at all: exit 4 and, for each model, which variable to set', async () => {
  const s = await e2e.scenario({ keys: [] });
  const r = await s.run(['chat', 'hi']);
  assert.equal(r.code, 4);
  assert.equal(r.stdout, '');
  const expected: Array<[string, string]> = [
    ['llama-3.1-8b-instant (groq)', 'GROQ_API_KEY'],
    ['Qwen2.5-7B-Instruct (siliconflow)', 'SILICONFLOW_API_KEY'],
    ['moonshot-v1-8k (moonshot)', 'MOONSHOT_API_KEY'],
    ['gpt-4.1-mini (openai)', 'OPENAI_API_KEY'],
    ['claude-haiku-5-5 (anthropic)', 'ANTHROPIC_API_KEY'],
  ];
  for (const [model, variable] of expected) {
    assert.match(r.stderr, new RegExp(`${model.replace(/[.()]/g, '\\$&')}: no key: set ${variable}`));
  }
  assert.match(r.stderr, /hint: add a key/);
  assert.equal(s.fake.requests.length, 0);
});

test('Anthropic with ANTHROPIC_API_KEY: x-api-key, base URL given with /v1, system and max_tokens, usage from message_start and the last message_delta', async () => {
  const s = await e2e.scenario({
    keys: ['anthropic'],
    anthropicV1: true,
    steps: [{ text: ['Hi', ' there'], usage: { input: 31, output: 9 }, cumulativeOutput: [4, 9] }],
  });
  const r = await s.run([
    'chat',
    '-m',
    'claude-haiku-5-5',
    '--allow-paid',
    '-s',
    'Be kind.',
    '--max-tokens',
    '64',
    'hello',
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'Hi there\n');
  assert.equal(r.stderr, '── claude-haiku-5-5 · anthropic · 31 in + 9 out tokens · paid\n');
  const req = s.fake.requests[0]!;
  assert.equal(req.path, '/v1/messages', 'a base URL ending in /v1 must not become /v1/v1/messages');
  assert.equal(req.xApiKey, KEYS.anthropic);
  assert.equal(req.authorization, undefined, 'an API key travels as x-api-key only');
  assert.deepEqual(req.body.system, [{ type: 'text', text: 'Be kind.' }]);
  assert.equal(req.body.max_tokens, 64);
  assert.deepEqual(req.body.messages, [{ role: 'user', content: 'hello' }]);
  assert.deepEqual(s.usageRows(), [
    {
      provider: 'anthropic',
      model: 'claude-haiku-5-5',
      input_tokens: 31,
      output_tokens: 9,
      estimated: 0,
      outcome: 'ok',
      billing: 'paid',
    },
  ]);
});

test('Anthropic with ANTHROPIC_AUTH_TOKEN: Authorization Bearer, base URL given without /v1', async () => {
  const s = await e2e.scenario({ keys: ['anthropicToken'], anthropicV1: false });
  const r = await s.run(['chat', '-m', 'claude-haiku-5-5', '--allow-paid', 'hello']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'Hello, world\n');
  const req = s.fake.requests[0]!;
  assert.equal(req.path, '/v1/messages');
  assert.equal(req.authorization, `Bearer ${KEYS.anthropicToken}`);
  assert.equal(req.xApiKey, undefined);
});

test('a paid model without --allow-paid: exit 5, the reason printed, nothing sent', async () => {
  const s = await e2e.scenario({ keys: ['anthropic'] });
  const r = await s.run(['chat', '-m', 'claude-haiku-5-5', 'hello']);
  assert.equal(r.code, 5);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /claude-haiku-5-5 \(anthropic\): paid model .*pass --allow-paid/);
  assert.equal(s.fake.requests.length, 0);
});

test('--json still prints one object when the run fails: the error, its exit code, and any partial answer', async () => {
  const none = await e2e.scenario({ keys: [] });
  const r = await none.run(['chat', '--json', 'hi']);
  assert.equal(r.code, 4);
  const failed = JSON.parse(r.stdout);
  assert.equal(failed.text, null);
  assert.equal(failed.exitCode, 4);
  assert.match(failed.error, /no model can take this request/);

  const cut = await e2e.scenario({ keys: ['groq'], steps: [{ text: ['Once', ' upon', ' a time'], cutAfter: 2 }] });
  const c = await cut.run(['chat', '-m', 'llama-3.1-8b-instant', '--json', 'story']);
  assert.equal(c.code, 1);
  const partial = JSON.parse(c.stdout);
  assert.equal(partial.text, 'Once upon');
  assert.equal(partial.exitCode, 1);
  assert.equal(partial.usageEstimated, true);
  assert.match(partial.error, /cut off/);
});

test('--json prints its one object for failures before any call too: a bad flag value, no prompt, nothing to continue', async () => {
  const s = await e2e.scenario({ keys: ['groq'] });
  for (const [args, code, pattern] of [
    [['chat', '--json', '--max-tokens', 'abc', 'hi'], 2, /--max-tokens must be a positive whole number/],
    [['chat', '--json'], 2, /no prompt/],
    [['chat', '--json', '-c', 'and then?'], 2, /no earlier conversation/],
  ] as const) {
    const r = await s.run([...args]);
    assert.equal(r.code, code, r.stderr);
    const object = JSON.parse(r.stdout);
    assert.equal(object.text, null);
    assert.equal(object.exitCode, code);
    assert.match(object.error, pattern);
  }
  assert.equal(s.fake.requests.length, 0);
});

test('no key canary in any output or in any file of any config directory', () => {
  e2e.assertNoCanaries();
});
