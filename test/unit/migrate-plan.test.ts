// The migration plan on variants of the sample: each file missing, missing fields, the three date forms, windows
// that have reset, a weekly and an expired tier, an unknown provider with its own key variable, placeholder and
// empty keys, conflicts. Pure: no file is read or written, the clock is a parameter.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import builtIn from '../../src/catalog/builtin.json' with { type: 'json' };
import type { CatalogData } from '../../src/core/catalog.ts';
import { readConfigFile } from '../../src/migrate/config-file.ts';
import { parseEnvFile } from '../../src/migrate/env-file.ts';
import { compareFigures } from '../../src/migrate/figures.ts';
import { planMigration, type MigrationPlan } from '../../src/migrate/plan.ts';
import { readQuotaFile } from '../../src/migrate/quota-file.ts';
import type { Source } from '../../src/migrate/source.ts';
import type { StoredKeys } from '../../src/store/keys.ts';
import type { Settings } from '../../src/store/settings.ts';
import { FIXTURE } from '../helpers/migrate.ts';

const fixture = {
  env: readFileSync(join(FIXTURE, '.env'), 'utf8'),
  quota: readFileSync(join(FIXTURE, 'data/quota.json'), 'utf8'),
  config: readFileSync(join(FIXTURE, 'config.json'), 'utf8'),
};

interface Files {
  env?: string;
  quota?: string | object;
  config?: string | object;
}

function source(files: Files): Source {
  const text = (v: string | object) => (typeof v === 'string' ? v : JSON.stringify(v));
  return {
    dir: '/old',
    ...(files.env !== undefined ? { env: { path: '/old/.env', entries: parseEnvFile('/old/.env', files.env) } } : {}),
    ...(files.quota !== undefined
      ? { quota: { path: '/old/data/quota.json', entries: readQuotaFile('/old/data/quota.json', text(files.quota)) } }
      : {}),
    ...(files.config !== undefined
      ? { config: { path: '/old/config.json', config: readConfigFile('/old/config.json', text(files.config)) } }
      : {}),
  };
}

interface Options {
  now?: string;
  settings?: Settings;
  keys?: StoredKeys;
  imported?: Record<string, number>;
  force?: boolean;
}

function plan(files: Files, options: Options = {}): MigrationPlan {
  return planMigration(
    {
      source: source(files),
      settings: options.settings ?? {},
      keys: options.keys ?? {},
      builtIn: builtIn as CatalogData,
      importedUsage: (id) => options.imported?.[id],
      now: Date.parse(options.now ?? '2026-02-20T12:00:00Z'),
      force: options.force ?? false,
    },
    '/config/settings.json',
  );
}

const items = (list: Array<{ kind: string; subject: string }>) => list.map((i) => `${i.kind} ${i.subject}`);
const detail = (list: Array<{ kind: string; subject: string; detail: string }>, kind: string, subject: string) =>
  list.find((i) => i.kind === kind && i.subject === subject)?.detail;
const tier = (p: MigrationPlan, key: string) => p.after.freeTiers.get(key);

test('each file missing in turn: the others still import, and the figures say what the missing one would have added', () => {
  const noEnv = plan({ quota: fixture.quota, config: fixture.config });
  assert.deepEqual(noEnv.keys, {});
  assert.equal(noEnv.keysChanged, false);
  assert.equal(noEnv.usage.length, 4);

  const noQuota = plan({ env: fixture.env, config: fixture.config });
  assert.deepEqual(noQuota.usage, []);
  assert.equal(noQuota.settings.freeTiers, undefined, 'the built-in tiers stay as they are');
  assert.deepEqual(Object.keys(noQuota.keys), ['openai', 'anthropic', 'moonshot', 'groq', 'siliconflow']);

  const noConfig = plan({ env: fixture.env, quota: fixture.quota });
  assert.deepEqual(
    compareFigures(noConfig.before, noConfig.after).map((f) => f.change),
    [0, 0, 0, 0],
    'no zhipu, no glm-4-flash',
  );
  assert.equal(noConfig.settings.scenarios, undefined);
  assert.equal(noConfig.usage.length, 4);
});

test('lastResetAt as a date, a UTC time or a time with an offset anchors the tier on its UTC day', () => {
  for (const [lastResetAt, anchor] of [
    ['2026-02-15', '2026-02-15'],
    ['2026-02-15T00:00:00.000Z', '2026-02-15'],
    ['2026-02-15T08:00:00+08:00', '2026-02-15'],
    ['2026-02-15T01:00:00+08:00', '2026-02-14'], // 17:00 UTC the day before
  ]) {
    const p = plan({
      quota: {
        'groq:llama-3.1-8b-instant': { totalQuota: 1000000, usedQuota: 1000, resetPeriod: 'monthly', lastResetAt },
      },
    });
    assert.equal(tier(p, 'groq:llama-3.1-8b-instant')?.anchor, anchor, lastResetAt);
    assert.deepEqual(
      p.usage.map((u) => [u.requestId, u.tokens]),
      [[`migrated:groq:llama-3.1-8b-instant:${anchor}`, 1000]],
      lastResetAt,
    );
  }
});

test('a window that has reset since starts at zero; one still running carries the old count', () => {
  const monthly = (lastResetAt: string) => ({
    'groq:llama-3.1-8b-instant': { totalQuota: 1000000, usedQuota: 900000, resetPeriod: 'monthly', lastResetAt },
  });
  const reset = plan({ quota: monthly('2026-01-15T00:00:00Z') });
  assert.deepEqual(reset.usage, []);
  assert.match(
    detail(reset.skipped, 'usage', 'groq:llama-3.1-8b-instant')!,
    /900,000 tokens not carried: the window reset on 2026-02-15/,
  );
  assert.equal(tier(reset, 'groq:llama-3.1-8b-instant')?.anchor, '2026-01-15');

  const running = plan({ quota: monthly('2026-01-21T00:00:00Z') }); // window 01-21 .. 02-21 holds 02-20
  assert.deepEqual(
    running.usage.map((u) => u.tokens),
    [900000],
  );
});

test('a weekly tier: its period and anchor are taken over, its usage carried only inside the running week', () => {
  const weekly = (lastResetAt: string) =>
    plan({
      quota: { 'moonshot:moonshot-v1-8k': { totalQuota: 200000, usedQuota: 5000, resetPeriod: 'weekly', lastResetAt } },
    });
  const inWeek = weekly('2026-02-16'); // week 02-16 .. 02-23 holds 02-20
  assert.deepEqual(tier(inWeek, 'moonshot:moonshot-v1-8k'), {
    provider: 'moonshot',
    model: 'moonshot-v1-8k',
    tokens: 200000,
    period: 'weekly',
    anchor: '2026-02-16',
  });
  assert.equal(
    detail(inWeek.imported, 'free tier', 'moonshot:moonshot-v1-8k'),
    'tokens 500,000 → 200,000; period monthly → weekly; anchor 2026-02-15 → 2026-02-16',
  );
  assert.deepEqual(
    inWeek.usage.map((u) => [u.requestId, u.tokens]),
    [['migrated:moonshot:moonshot-v1-8k:2026-02-16', 5000]],
  );
  const weekAgo = weekly('2026-02-12'); // weeks 02-12, 02-19: the week of 02-20 began on 02-19
  assert.deepEqual(weekAgo.usage, []);
  assert.match(detail(weekAgo.skipped, 'usage', 'moonshot:moonshot-v1-8k')!, /the window reset on 2026-02-19/);
});

test('an expired tier stays expired: imported with its end date, nothing carried', () => {
  const p = plan({ quota: fixture.quota }, { now: '2026-03-10T00:00:00Z' });
  assert.equal(tier(p, 'aliyun:deepseek-v3.2')?.expires, '2026-03-03');
  assert.match(
    detail(p.skipped, 'usage', 'aliyun:deepseek-v3.2')!,
    /1,000,000 tokens not carried: the tier ended on 2026-03-03/,
  );
  // groq and moonshot: 02-15 + 1 month = 03-15, so 03-10 is still in the old window; kimi (anchored 01-30) reset on
  // 02-28, so its 250,000 stay behind.
  assert.deepEqual(
    p.usage.map((u) => u.tierKey),
    ['groq:llama-3.1-8b-instant', 'moonshot:moonshot-v1-8k'],
  );
  assert.match(detail(p.skipped, 'usage', 'aliyun:kimi-k2.5')!, /the window reset on 2026-02-28/);
});

test('an unknown provider with apiKeyEnv: it is added, its key goes to it, a tier for a model it serves brings the model', () => {
  const p = plan({
    env: 'MY_PROXY_TOKEN="sk-proxy-abcdefgh12345678"\nOTHER_API_KEY=sk-nobody-reads-this-123456\n',
    config: {
      providers: {
        myproxy: { type: 'anthropic', baseURL: 'https://proxy.example.com/v1', apiKeyEnv: 'MY_PROXY_TOKEN' },
      },
    },
    quota: {
      'myproxy:claude-x': {
        totalQuota: 300000,
        usedQuota: 100,
        resetPeriod: 'daily',
        lastResetAt: '2026-02-20T00:00:00Z',
      },
      'nowhere:model': { totalQuota: 1, resetPeriod: 'daily' },
    },
  });
  assert.deepEqual(p.settings.providers?.myproxy, {
    protocol: 'anthropic',
    baseUrl: 'https://proxy.example.com/v1',
    keyEnv: ['MY_PROXY_TOKEN'],
  });
  // An *_AUTH_TOKEN is a bearer token; MY_PROXY_TOKEN is not named so, so it is an API key.
  assert.deepEqual(p.keys.myproxy, { key: 'sk-proxy-abcdefgh12345678', source: 'migrated from /old/.env' });
  assert.deepEqual(p.settings.models, [{ id: 'claude-x', deployments: [{ provider: 'myproxy' }] }]);
  assert.deepEqual(tier(p, 'myproxy:claude-x'), {
    provider: 'myproxy',
    model: 'claude-x',
    tokens: 300000,
    period: 'daily',
    anchor: '2026-02-20',
  });
  assert.equal(p.usage[0]?.tokens, 100);
  assert.match(detail(p.skipped, 'variable', 'OTHER_API_KEY')!, /no provider reads this variable/);
  assert.match(detail(p.skipped, 'free tier', 'nowhere:model')!, /provider nowhere is unknown/);
});

test('placeholders and empty values are skipped with a note each; of two variables for one provider the first it reads wins', () => {
  const p = plan({
    env: 'OPENAI_API_KEY=your-openai-key-here\nGROQ_API_KEY=\nMOONSHOT_API_KEY="has a space"\nANTHROPIC_AUTH_TOKEN=sk-ant-token-000000000000\nANTHROPIC_API_KEY=sk-ant-key-11111111111111\n',
  });
  assert.deepEqual(
    p.skipped.map((s) => `${s.subject}: ${s.detail}`),
    [
      'OPENAI_API_KEY: a template placeholder, not a key (line 1)',
      'GROQ_API_KEY: empty (line 2)',
      'MOONSHOT_API_KEY: not a key: it contains a space (line 3)',
      'ANTHROPIC_AUTH_TOKEN: ANTHROPIC_API_KEY is imported for anthropic instead (line 4)',
    ],
  );
  assert.deepEqual(p.keys, { anthropic: { key: 'sk-ant-key-11111111111111', source: 'migrated from /old/.env' } });
  const token = plan({ env: 'ANTHROPIC_AUTH_TOKEN=sk-ant-token-000000000000\n' });
  assert.equal(token.keys.anthropic?.authStyle, 'bearer', 'sent as a bearer token, as the old service did');
});

test('missing fields are filled from the catalog tier; a tier that cannot be known is skipped', () => {
  const p = plan({
    quota: {
      'aliyun:deepseek-v3.2': { usedQuota: 10 }, // no total, period, lastResetAt, expires
      'groq:llama-3.1-8b-instant': { totalQuota: 2000000, lastResetAt: '2026-02-10' },
      'groq:mystery-model': { usedQuota: 5 },
    },
  });
  assert.deepEqual(
    tier(p, 'aliyun:deepseek-v3.2'),
    builtIn.freeTiers.find((t) => t.model === 'deepseek-v3.2'),
  );
  assert.match(detail(p.skipped, 'usage', 'aliyun:deepseek-v3.2')!, /no lastResetAt says which window/);
  assert.deepEqual(tier(p, 'groq:llama-3.1-8b-instant'), {
    provider: 'groq',
    model: 'llama-3.1-8b-instant',
    tokens: 2000000,
    period: 'monthly',
    anchor: '2026-02-10',
  });
  assert.match(detail(p.skipped, 'free tier', 'groq:mystery-model')!, /no totalQuota/);
  // A tier whose entry has no expires keeps the catalog's end date: believing it runs forever would bill nothing.
  const kimi = plan({ quota: { 'aliyun:kimi-k2.5': { totalQuota: 1000000, lastResetAt: '2026-02-01' } } });
  assert.equal(tier(kimi, 'aliyun:kimi-k2.5')?.expires, '2026-04-30');
});

test('upstream names map to catalog ids: a quota tier, a config model and a scenario entry', () => {
  const p = plan({
    quota: {
      'siliconflow:qwen/qwen2.5-7b-instruct': { totalQuota: 500000, resetPeriod: 'daily', lastResetAt: '2026-02-20' },
    },
    config: {
      models: [
        { id: 'Qwen/Qwen2.5-7B-Instruct', provider: 'siliconflow' },
        { id: 'kimi-k2.5', provider: 'moonshot' },
      ],
      scenarios: { translate: ['Qwen/Qwen2.5-7B-Instruct', 'kimi', 'no-such-model'] },
    },
  });
  assert.equal(tier(p, 'siliconflow:Qwen2.5-7B-Instruct')?.anchor, '2026-02-20');
  assert.deepEqual(items(p.unchanged), ['model Qwen/Qwen2.5-7B-Instruct', 'model kimi-k2.5']);
  assert.deepEqual(p.settings.scenarios, { translate: ['Qwen2.5-7B-Instruct', 'kimi-k2.5'] });
  assert.match(detail(p.skipped, 'scenario', 'translate')!, /no-such-model is not a model llm-gateway knows/);
  assert.equal(p.settings.models, undefined, 'nothing new to add');
});

test('conflicts: what the user set differently is kept unless --force; the same thing twice is no change', () => {
  const settings: Settings = {
    providers: { anthropic: { baseUrl: 'https://my-proxy.example.com/v1' } },
    freeTiers: [{ provider: 'groq', model: 'llama-3.1-8b-instant', tokens: 42, period: 'daily', anchor: '2026-01-01' }],
    scenarios: { code: ['gpt-4.1'] },
  };
  const keys: StoredKeys = {
    groq: { key: 'gsk_mine_0000000000000000000000' },
    openai: { key: 'sk-fake-openai-1111111111111111111111' },
  };
  const files = {
    env: `${fixture.env}\nANTHROPIC_BASE_URL=https://api.anthropic.com\n`,
    quota: fixture.quota,
    config: fixture.config,
  };
  const kept = plan(files, { settings, keys });
  assert.deepEqual(
    kept.conflicts.map((c) => `${c.kind} ${c.subject} ${c.resolution}`),
    // The anthropic URL differs in config.json and in .env: each source is its own conflict.
    [
      'base URL anthropic kept',
      'base URL anthropic kept',
      'key groq kept',
      'free tier groq:llama-3.1-8b-instant kept',
      'scenario code kept',
    ],
  );
  assert.equal(kept.keys.groq?.key, 'gsk_mine_0000000000000000000000');
  assert.equal(detail(kept.unchanged, 'key', 'openai'), '••••1111 already stored');
  assert.deepEqual(kept.settings.scenarios?.code, ['gpt-4.1']);
  // The usage lands in the window of the tier that stays in force (daily from 2026-01-01: today's, after 02-15).
  assert.match(detail(kept.skipped, 'usage', 'groq:llama-3.1-8b-instant')!, /the window reset on 2026-02-20/);

  const forced = plan(files, { settings, keys, force: true });
  assert.ok(forced.conflicts.every((c) => c.resolution === 'replaced'));
  assert.equal(forced.keys.groq?.key, 'gsk_fake_4444444444444444444444444');
  // config.json's URL replaces the user's; .env's is the same one for Anthropic (with or without /v1).
  assert.equal(forced.settings.providers?.anthropic?.baseUrl, 'https://api.anthropic.com/v1');
  assert.equal(tier(forced, 'groq:llama-3.1-8b-instant')?.tokens, 1000000);
});

test('usage imported before is found again: unchanged when equal, a conflict when the source has moved on', () => {
  const id = 'migrated:groq:llama-3.1-8b-instant:2026-02-15';
  const again = plan({ quota: fixture.quota }, { imported: { [id]: 182340 } });
  assert.equal(
    again.usage.some((u) => u.requestId === id),
    false,
  );
  assert.match(detail(again.unchanged, 'usage', 'groq:llama-3.1-8b-instant')!, /182,340 tokens already carried/);
  const moved = plan({ quota: fixture.quota }, { imported: { [id]: 100000 } });
  assert.deepEqual(
    moved.conflicts.map((c) => [c.subject, c.current, c.source]),
    [['groq:llama-3.1-8b-instant', '100,000 tokens imported before for this window', '182,340 tokens']],
  );
  const forced = plan({ quota: fixture.quota }, { imported: { [id]: 100000 }, force: true });
  assert.deepEqual(
    forced.usage.find((u) => u.requestId === id),
    {
      requestId: id,
      provider: 'groq',
      model: 'llama-3.1-8b-instant',
      tierKey: 'groq:llama-3.1-8b-instant',
      tokens: 182340,
      at: Date.parse('2026-02-20T12:00:00Z'),
      replaces: 100000,
    },
  );
});
