// A migration of many tiers (issue 21, point 10): `migrate --dry-run` of 10,000 tiers took 100 s, as the planner
// built the whole catalog again for each tier and scanned every model for each name. Counted here in catalog builds,
// not seconds: planning a quota.json of any size builds the catalog a fixed number of times, and the plan is the one
// the per-tier builds gave (models added once, a tier per entry, later entries seeing earlier ones).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import builtIn from '../../src/catalog/builtin.json' with { type: 'json' };
import type { CatalogData } from '../../src/core/catalog.ts';
import { Draft } from '../../src/migrate/draft.ts';
import { planTiers } from '../../src/migrate/plan-tiers.ts';
import { readQuotaFile } from '../../src/migrate/quota-file.ts';

const NOW = Date.parse('2026-11-26T00:00:00Z');

function draft(settings = {}) {
  return new Draft({
    source: { dir: 'old' },
    settings,
    keys: {},
    builtIn: builtIn as CatalogData,
    importedUsage: () => undefined,
    now: NOW,
    force: false,
  });
}

const tier = (total: number) => ({
  totalQuota: total,
  usedQuota: 5,
  resetPeriod: 'monthly',
  lastResetAt: '2026-11-15',
});

test('planning 2,000 tiers for new models builds the catalog once, not once a tier', () => {
  const quota: Record<string, unknown> = {};
  for (let i = 0; i < 2000; i++) quota[`groq:scale-${i}`] = tier(1000 + i);
  const d = draft();
  planTiers(d, readQuotaFile('quota.json', JSON.stringify(quota)), 'quota.json');
  assert.equal(d.catalogBuilds, 1);
  assert.equal(d.settings.models?.length, 2000);
  assert.equal(d.settings.freeTiers?.length, 2000);
  assert.equal(d.usage.length, 2000);
  // The catalog built from the plan has every model and tier.
  const catalog = d.catalog();
  assert.equal(catalog.freeTiers.get('groq:scale-1999')?.tokens, 2999);
});

test('a later entry naming the same model in another letter case finds the model and the tier set before it', () => {
  const d = draft();
  const quota = { 'groq:Scale-A': tier(1000), 'groq:scale-a': tier(2000) };
  planTiers(d, readQuotaFile('quota.json', JSON.stringify(quota)), 'quota.json');
  assert.deepEqual(
    d.settings.models?.map((m) => m.id),
    ['Scale-A'],
    'the model is added once',
  );
  // The second entry meets the tier the first one set, as a conflict: kept without --force, as before.
  assert.deepEqual(
    d.settings.freeTiers?.map((t) => [t.model, t.tokens]),
    [['Scale-A', 1000]],
  );
  assert.equal(d.conflicts.length, 1);
  assert.match(d.conflicts[0]!.source, /^2,000 tokens monthly/);
});

test("a user's own tier for the deployment is replaced only as a conflict allows", () => {
  const d = draft({
    freeTiers: [{ provider: 'groq', model: 'llama-3.1-8b-instant', tokens: 5, period: 'daily', anchor: '2026-11-01' }],
  });
  planTiers(d, readQuotaFile('quota.json', JSON.stringify({ 'groq:llama-3.1-8b-instant': tier(1000) })), 'quota.json');
  assert.equal(d.conflicts.length, 1);
  assert.equal(d.settings.freeTiers?.[0]?.tokens, 5, 'kept without --force');
});
