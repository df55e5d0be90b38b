// The server over time: a client that leaves mid-stream stops the upstream call and its usage is still recorded;
// SIGTERM lets an answer in flight finish, then exits 0; `chat` and `serve` on one ledger lose no token.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import OpenAI from 'openai';
import { startFakeUpstream } from '../fake-upstream/index.ts';
import { BUILT_IN_PROVIDERS } from '../helpers/builtin-catalog.ts';
import { ChatE2E, usageRows } from '../helpers/chat-e2e.ts';
import { tempHome } from '../helpers/cli.ts';
import { fakeEnv, startServe } from '../helpers/serve.ts';

const hi = [{ role: 'user' as const, content: 'hi' }];

async function until(check: () => boolean, what: string, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

test('a client that disconnects mid-stream aborts the upstream call, and the usage so far is recorded', async () => {
  // 20 chunks 500 ms apart: 10 s if nobody stopped it.
  const s = await startServe({
    keys: ['groq'],
    steps: [{ text: Array.from({ length: 20 }, (_, i) => `chunk${i} `), chunkDelayMs: 500 }],
  });
  try {
    const client = new OpenAI({ baseURL: `${s.url}/v1`, apiKey: s.key, maxRetries: 0 });
    const controller = new AbortController();
    const stream = await client.chat.completions.create(
      { model: 'llama', messages: hi, stream: true },
      { signal: controller.signal },
    );
    const started = Date.now();
    let text = '';
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta?.content ?? '';
      if (text.includes('chunk1')) controller.abort();
    }
    await until(() => /499 POST/.test(s.stdout()), 'the request log line of the aborted request');
    const rows = usageRows(s.home);
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.outcome, 'aborted');
    assert.ok(rows[0]!.output_tokens > 0, 'what arrived before the abort is counted');
    assert.ok(Date.now() - started < 8_000, 'the upstream stream was not read to its end');
  } finally {
    assert.equal(await s.stop(), 0);
  }
});

test('SIGTERM: no new connections, the answer in flight finishes, its usage is settled, exit 0', async () => {
  const s = await startServe({
    keys: ['groq'],
    steps: [{ text: ['one ', 'two ', 'three ', 'four'], chunkDelayMs: 300 }],
  });
  const client = new OpenAI({ baseURL: `${s.url}/v1`, apiKey: s.key, maxRetries: 0 });
  const stream = await client.chat.completions.create({ model: 'llama', messages: hi, stream: true });
  let text = '';
  let signalled = false;
  for await (const chunk of stream) {
    text += chunk.choices[0]?.delta?.content ?? '';
    if (!signalled && text) {
      signalled = true;
      s.child.kill('SIGTERM');
    }
  }
  assert.equal(text, 'one two three four');
  assert.equal(await s.exited, 0, 'the one SIGTERM alone ends it (a second would mean: leave now)');
  await s.stop();
  assert.match(s.stderr(), /SIGTERM: stopping/);
  const rows = usageRows(s.home);
  assert.deepEqual(
    rows.map((r) => r.outcome),
    ['ok'],
  );
  assert.equal(rows[0]!.output_tokens, 4);
});

test('chat and serve at once on one ledger: exact totals, no token lost', async () => {
  const fake = await startFakeUpstream();
  const home = tempHome();
  const s = await startServe({ fake, home, keys: ['groq'] });
  const e2e = new ChatE2E();
  try {
    const env = fakeEnv(home, fake, ['groq']);
    const client = new OpenAI({ baseURL: `${s.url}/v1`, apiKey: s.key, maxRetries: 0 });
    const served = Array.from({ length: 12 }, () => client.chat.completions.create({ model: 'llama', messages: hi }));
    const chats = Array.from({ length: 6 }, () =>
      e2e.spawn(['chat', '-m', 'llama', '--no-log', 'hi'], env, { timeoutMs: 60_000 }),
    );
    const answers = await Promise.all(served);
    const runs = await Promise.all(chats);
    assert.ok(answers.every((a) => a.choices[0]!.message.content === 'Hello, world'));
    assert.ok(
      runs.every((r) => r.code === 0),
      runs.map((r) => r.stderr).join('\n'),
    );
    const rows = usageRows(home);
    assert.equal(rows.length, 18);
    // Each call: 11 in + 3 out, as the fake reports.
    const quota = (await (await fetch(`${s.url}/quota`, { headers: { authorization: `Bearer ${s.key}` } })).json()) as {
      tiers: Array<{ provider: string; used: number; reserved: number }>;
    };
    const groq = quota.tiers.find((t) => t.provider === 'groq')!;
    assert.deepEqual([groq.used, groq.reserved], [18 * 14, 0]);
  } finally {
    await s.stop();
    await fake.close();
  }
});

test('a tier changed with quota set while the server runs is used by the next request', async () => {
  const s = await startServe({ keys: ['groq'] });
  try {
    const client = new OpenAI({ baseURL: `${s.url}/v1`, apiKey: s.key, maxRetries: 0 });
    const ask = () =>
      client.chat.completions.create({ model: 'llama', messages: hi }).then(
        () => 200,
        (e) => e.status,
      );
    assert.equal(await ask(), 200);
    const shrink = await e2eRun(s, ['quota', 'set', 'llama-3.1-8b-instant', '--tokens', '100']);
    assert.equal(shrink, 0);
    assert.equal(await ask(), 429, 'the shrunk tier cannot carry a call');
    assert.equal(await e2eRun(s, ['quota', 'set', 'llama-3.1-8b-instant', '--tokens', '1000000']), 0);
    assert.equal(await ask(), 200);
  } finally {
    assert.equal(await s.stop(), 0);
  }
});

async function e2eRun(s: { env: NodeJS.ProcessEnv }, args: string[]): Promise<number | null> {
  const run = await new ChatE2E().spawn(args, s.env);
  return run.code;
}

test('the banner, on stderr: a line per provider (key source, never the key), the quota table, then the address and where the key is', async () => {
  const s = await startServe({ keys: ['groq'], args: ['--json-log'] });
  try {
    await until(() => s.stderr().includes('Ctrl-C stops it'), 'the end of the banner');
    const banner = s.stderr();
    assert.match(banner, /✓ provider ready: groq \(2 models, key from env GROQ_API_KEY\)/);
    assert.match(banner, /· provider without key: openai \(3 models; add one with OPENAI_API_KEY/);
    assert.ok(banner.includes(`${BUILT_IN_PROVIDERS.length} providers initialised, 1 with a key`), banner);
    const table = banner.indexOf('free quota:');
    assert.ok(
      table > 0 &&
        table < banner.search(/llama-3\.1-8b-instant\s+groq/) &&
        banner.search(/llama-3\.1-8b-instant\s+groq/) < banner.indexOf('serving on'),
      `the quota table comes before the address:\n${banner}`,
    );
    assert.match(banner, /access key: generated now, in \S+server-key — read it with: cat /);
    assert.ok(!banner.includes(s.key) && !banner.includes('gsk-CANARY'), 'no key in the banner');
    assert.equal(s.stdout(), '', 'stdout is for the request log only');
    const client = new OpenAI({ baseURL: `${s.url}/v1`, apiKey: s.key, maxRetries: 0 });
    await client.chat.completions.create({ model: 'llama', messages: hi });
    await until(() => s.stdout().includes('\n'), 'the request log line');
    const entry = JSON.parse(s.stdout().trim().split('\n')[0]!);
    assert.equal(entry.route, '/v1/chat/completions');
    assert.equal(entry.status, 200);
    assert.deepEqual(
      [entry.model, entry.provider, entry.inputTokens, entry.outputTokens],
      ['llama-3.1-8b-instant', 'groq', 11, 3],
    );
    assert.deepEqual(entry.fallbacks, []);
    assert.equal(typeof entry.id, 'string');
    assert.equal(typeof entry.ms, 'number');
  } finally {
    await s.stop();
  }
});
