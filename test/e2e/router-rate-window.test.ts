// Limits the catalog knows (issue #8 point 4): Groq's free plan counts prompt + max_tokens of one request against a
// model's tokens per minute and refuses a larger request with 413 (console.groq.com/docs/rate-limits). The router
// skips such a deployment with its reason, before spending a request on the 413; --explain shows it, and a request
// nothing else can take exits 2 (a smaller request would fit).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import builtin from '../../src/catalog/builtin.json' with { type: 'json' };
import { buildCatalog, type CatalogData } from '../../src/core/catalog.ts';
import { planRoute } from '../../src/core/router.ts';
import { runCli, tempHome } from '../helpers/cli.ts';

const NOW = Date.UTC(2026, 10, 26, 12, 0, 0);
const catalog = buildCatalog(builtin as CatalogData);
const plan = (maxOutputTokens: number) =>
  planRoute({
    catalog,
    snapshot: { usage: new Map(), cooldowns: [] },
    keyedProviders: new Set(['groq']),
    request: { model: 'llama-3.1-8b-instant', inputTokens: 1000, maxOutputTokens, allowPaid: false },
    now: NOW,
  });

test("a request over the deployment's tokens-per-minute limit is skipped with the figures", () => {
  const over = plan(5001); // 1,000 + 5,001 > 6,000
  assert.deepEqual(over.candidates, []);
  assert.equal(over.skipped.length, 1);
  const [skip] = over.skipped;
  assert.equal(skip!.reason, 'over_rate_window');
  assert.deepEqual(skip!.reason === 'over_rate_window' && [skip!.neededTokens, skip!.tokensPerMinute], [6001, 6000]);
  assert.match(skip!.detail, /6,001 tokens .* over its limit of 6,000 tokens per minute/);
});

test('a request that fits the limit exactly is a candidate', () => {
  const fits = plan(5000);
  assert.deepEqual(
    fits.candidates.map((c) => c.model.id),
    ['llama-3.1-8b-instant'],
  );
});

test('chat --explain names the limit; the real call exits 2 with the fix, calling nobody', async () => {
  const home = tempHome();
  const env = {
    LLM_GATEWAY_NOW: '2026-11-26T12:00:00Z',
    GROQ_API_KEY: 'gsk-test-canary-0011',
    GROQ_BASE_URL: 'http://127.0.0.1:9/openai/v1',
  };
  const explain = await runCli(['chat', '--explain', '-m', 'llama-3.1-8b-instant', '--max-tokens', '7000', 'hi'], {
    home,
    env,
  });
  assert.match(
    explain.stdout,
    /llama-3\.1-8b-instant \(groq\): over_rate_window, needs ~7,\d{3} tokens \(prompt \+ answer budget\), over its limit of 6,000 tokens per minute; lower --max-tokens/,
  );
  const chat = await runCli(['chat', '-m', 'llama-3.1-8b-instant', '--max-tokens', '7000', 'hi'], { home, env });
  assert.equal(chat.code, 2, chat.stderr);
  assert.match(chat.stderr, /tokens per minute/);
});
