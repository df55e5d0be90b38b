// quota's totals line adds tokens to tokens: a tier counted only in requests (Groq's rpd, OpenRouter's :free
// models) has no tokens to add, so its requests left must not show up as "tokens left".
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildCatalog } from '../../src/core/catalog.ts';
import { quotaView } from '../../src/runtime/quota-report.ts';

test('the totals count token allowances only, never requests left', () => {
  const catalog = buildCatalog({
    providers: [
      { id: 'groq', name: 'Groq', protocol: 'openai' },
      { id: 'seed', name: 'Seed', protocol: 'openai' },
    ],
    models: [
      { id: 'r1', contextWindow: 32_000, deployments: [{ provider: 'groq', price: null }] },
      { id: 't1', contextWindow: 32_000, deployments: [{ provider: 'seed', price: null }] },
    ],
    freeTiers: [
      {
        provider: 'groq',
        model: 'r1',
        anchor: '2026-01-01',
        limits: [{ unit: 'requests', per: 'day', limit: 40, resets: 'boundary' }],
      },
      { provider: 'seed', model: 't1', anchor: '2026-01-01', tokens: 1_000, period: 'monthly' },
    ],
  });
  const view = quotaView(
    catalog,
    { usage: new Map(), cooldowns: [] },
    new Set(['groq', 'seed']),
    Date.parse('2026-11-26T04:00:00Z'),
  );
  assert.equal(view.totals.tiers, 2);
  assert.equal(view.totals.active, 2);
  assert.equal(view.totals.tokens, 1_000);
  assert.equal(view.totals.remaining, 1_000, 'the 40 requests left are not tokens');
  assert.equal(view.totals.used, 0);
});
