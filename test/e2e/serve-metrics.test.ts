// serve's GET /metrics, scraped and read by a real Prometheus text-format parser (prom2javascript, which rejects a
// malformed line) after a streamed call, a call that fell back, and free-tier calls; the request log beside chat's;
// the key it needs unless --metrics-public, which only a loopback address may use.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import OpenAI from 'openai';
import { getMetricsFromIterator } from 'prom2javascript';
import { runCli } from '../helpers/cli.ts';
import { startServe, type Served } from '../helpers/serve.ts';

type Family = {
  type: string;
  help: string;
  data: Array<{
    labels: Record<string, string>;
    value?: number;
    buckets?: Record<string, number>;
    count?: number;
    sum?: number;
  }>;
};

async function scrape(s: Served, headers: Record<string, string> = { authorization: `Bearer ${s.key}` }) {
  const res = await fetch(`${s.url}/metrics`, { headers });
  const text = await res.text();
  return {
    res,
    text,
    families: res.ok
      ? ((await getMetricsFromIterator(text.split('\n')[Symbol.iterator]())) as Record<string, Family>)
      : {},
  };
}

const value = (f: Family | undefined, labels: Record<string, string>) =>
  f?.data.find((d) => Object.entries(labels).every(([k, v]) => d.labels[k] === v))?.value;

let s: Served;
before(async () => {
  // Qwen (siliconflow) first, then llama (groq): the second request's two 500s on Qwen make it fall back to llama.
  s = await startServe({
    keys: ['siliconflow', 'groq'],
    steps: [{}, { fault: 'server_error' }, { fault: 'server_error' }, {}],
  });
});
after(async () => {
  assert.equal(await s.stop(), 0);
});

test('/metrics after a streamed call, a fallback and free-tier calls: requests, tokens, latency, fallbacks, quota', async () => {
  const client = new OpenAI({ baseURL: `${s.url}/v1`, apiKey: s.key, maxRetries: 0 });
  const stream = await client.chat.completions.create({
    model: 'auto',
    messages: [{ role: 'user', content: 'hi' }],
    stream: true,
    stream_options: { include_usage: true },
  });
  let text = '';
  for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
  assert.equal(text, 'Hello, world');
  const fellBack = await client.chat.completions
    .create({ model: 'auto', messages: [{ role: 'user', content: 'hi' }] })
    .withResponse();
  assert.equal(fellBack.response.headers.get('x-llm-gateway-provider'), 'groq');

  const { res, text: exposition, families } = await scrape(s);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  process.stdout.write(
    `# /metrics after a streamed call, a fallback and free-tier calls:\n${exposition.replace(/^/gm, '# ')}\n`,
  );

  const requests = families.llm_gateway_requests_total;
  assert.equal(requests?.type, 'counter');
  assert.equal(value(requests, { route: '/v1/chat/completions', status: '200', model: 'Qwen2.5-7B-Instruct' }), 1);
  assert.equal(value(requests, { route: '/v1/chat/completions', status: '200', model: 'llama-3.1-8b-instant' }), 1);
  const tokens = families.llm_gateway_tokens_total;
  for (const model of ['Qwen2.5-7B-Instruct', 'llama-3.1-8b-instant']) {
    assert.equal(value(tokens, { model, billing: 'free-tier', direction: 'input' }), 11, model);
    assert.equal(value(tokens, { model, billing: 'free-tier', direction: 'output' }), 3, model);
  }
  assert.equal(value(families.llm_gateway_fallbacks_total, { reason: 'server' }), 1);
  for (const name of ['llm_gateway_upstream_latency_seconds', 'llm_gateway_first_token_seconds']) {
    const h = families[name];
    assert.equal(h?.type, 'histogram', name);
    const qwen = h!.data.find((d) => d.labels.model === 'Qwen2.5-7B-Instruct');
    assert.equal(qwen?.count, 1, name);
    assert.equal(qwen?.buckets?.['+Inf'], 1, name);
    assert.ok((qwen?.sum ?? -1) >= 0, name);
  }
  const remaining = families.llm_gateway_free_tokens_remaining;
  assert.equal(remaining?.type, 'gauge');
  assert.equal(value(remaining, { provider: 'groq', model: 'llama-3.1-8b-instant' }), 1_000_000 - 14);
  assert.equal(value(remaining, { provider: 'siliconflow', model: 'Qwen2.5-7B-Instruct' }), 500_000 - 14);
  assert.equal(families.llm_gateway_requests_in_flight?.data[0]?.value, 0);
  assert.equal(families.llm_gateway_requests_queued?.data[0]?.value, 0);
});

test('serve requests are in the request log beside chat’s: `log --json` lists them with route and client', async () => {
  const r = await runCli(['log', '--json'], { home: s.home, env: s.env as Record<string, string> });
  assert.equal(r.code, 0, r.stderr);
  const entries = r.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  const fellBack = entries.find((e) => e.fallbacks.length === 1);
  assert.ok(fellBack, r.stdout);
  assert.equal(fellBack.origin, 'serve');
  assert.match(fellBack.client, /^\/v1\/chat\/completions OpenAI\/JS /);
  assert.equal(fellBack.provider, 'groq');
  assert.deepEqual(fellBack.fallbacks, [{ model: 'Qwen2.5-7B-Instruct', provider: 'siliconflow', code: 'server' }]);
  assert.ok(entries.some((e) => e.model === 'Qwen2.5-7B-Instruct' && e.outcome === 'ok'));
});

test('/metrics needs the access key; --metrics-public opens it on loopback only', async () => {
  assert.equal((await scrape(s, {})).res.status, 401);
  const open = await startServe({ args: ['--metrics-public'] });
  try {
    const { res, families } = await scrape(open, {});
    assert.equal(res.status, 200);
    assert.equal(families.llm_gateway_requests_queued?.type, 'gauge');
    // Only /metrics opens: the rest still needs the key.
    assert.equal((await fetch(`${open.url}/quota`)).status, 401);
  } finally {
    assert.equal(await open.stop(), 0);
  }
  const refused = await runCli(['serve', '--metrics-public', '--host', '0.0.0.0', '--port', '0'], {
    home: s.home,
    env: { LLM_GATEWAY_SERVER_KEY: 'k'.repeat(40) },
  });
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /--metrics-public needs a loopback --host/);
});
