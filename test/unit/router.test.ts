// Route planning: every skip reason with a detail a person can act on, the order of candidates, billing, target
// resolution, and purity. Built on the real built-in catalog and on small hand-made ones.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import builtin from '../../src/catalog/builtin.json' with { type: 'json' };
import { buildCatalog, type CatalogData } from '../../src/core/catalog.ts';
import { failureText } from '../../src/cli/common/error-text.ts';
import { skipText } from '../../src/cli/common/skip-text.ts';
import { LookupError } from '../../src/core/errors.ts';
import { noCandidateError } from '../../src/core/gateway-errors.ts';
import { estimatePromptTokens, estimateTokens } from '../../src/core/estimate.ts';
import { DEFAULT_OUTPUT_RESERVE, planRoute, scenarioFor, type RouteInput } from '../../src/core/router.ts';
import type { Cooldown, LedgerSnapshot, RoutePlan, RouteRequest, TierUsage } from '../../src/core/types.ts';

const BUILTIN = builtin as CatalogData;
const ALL_KEYS = new Set(BUILTIN.providers!.map((p) => p.id));
const NOV_26 = Date.UTC(2026, 10, 26, 12, 0, 0);
const LLAMA = 'groq:llama-3.1-8b-instant';

function snapshot(usage: Record<string, TierUsage> = {}, cooldowns: Cooldown[] = []): LedgerSnapshot {
  return { usage: new Map(Object.entries(usage)), cooldowns };
}

/** Overrides for one plan; the request is merged over `{inputTokens: 100, allowPaid: false}`. */
type Over = Partial<Omit<RouteInput, 'request'>> & { request?: Partial<RouteRequest> };

function plan(over: Over = {}): RoutePlan {
  return planRoute({
    catalog: over.catalog ?? buildCatalog(BUILTIN),
    snapshot: over.snapshot ?? snapshot(),
    keyedProviders: over.keyedProviders ?? ALL_KEYS,
    now: over.now ?? NOV_26,
    request: { inputTokens: 100, allowPaid: false, ...over.request },
    ...(over.longPromptTokens === undefined ? {} : { longPromptTokens: over.longPromptTokens }),
  });
}

/** `provider:model (billing)` for each candidate: order and billing at a glance. */
const order = (p: RoutePlan): string[] => p.candidates.map((c) => `${c.provider.id}:${c.model.id} (${c.billing})`);
/** The skip of one deployment, its `detail` as a person reads it under `chat --explain` (with the CLI's fix). */
const skipOf = (p: RoutePlan, provider: string, model: string) => {
  const s = p.skipped.find((x) => x.provider === provider && x.model === model);
  assert.ok(s, `expected ${provider}:${model} to be skipped, skipped: ${JSON.stringify(p.skipped)}`);
  return { ...s, detail: skipText(s, p.at) };
};

/**
 * A small catalog with a key for each of its providers a, b, c. Free tiers on 2026-11-26: `daily` resets 11-27,
 * `ending` expires 11-28, `monthly` resets 12-15. `layers` are merged on top the way user settings are.
 */
const TINY_KEYS = new Set(['a', 'b', 'c']);
function tiny(...layers: CatalogData[]): ReturnType<typeof buildCatalog> {
  const base: CatalogData = {
    providers: [
      { id: 'a', name: 'Provider A', keyEnv: ['A_API_KEY'] },
      { id: 'b', name: 'Provider B', keyEnv: ['B_API_KEY', 'B_TOKEN'] },
      { id: 'c', name: 'Provider C' },
    ],
    models: [
      { id: 'daily', contextWindow: 32000, capabilities: ['text'], deployments: [{ provider: 'a', price: null }] },
      { id: 'monthly', contextWindow: 32000, capabilities: ['text'], deployments: [{ provider: 'b', price: null }] },
      { id: 'ending', contextWindow: 32000, capabilities: ['text'], deployments: [{ provider: 'c', price: null }] },
      {
        id: 'zero',
        contextWindow: 32000,
        capabilities: ['text'],
        deployments: [{ provider: 'a', price: { input: 0, output: 0 } }],
      },
      {
        id: 'pricey',
        contextWindow: 32000,
        capabilities: ['text', 'code'],
        deployments: [{ provider: 'b', price: { input: 0.01, output: 0.03 } }],
      },
      {
        id: 'small',
        contextWindow: 4096,
        capabilities: ['text'],
        deployments: [{ provider: 'a', price: { input: 0, output: 0 } }],
      },
    ],
    freeTiers: [
      { provider: 'a', model: 'daily', tokens: 10_000, period: 'daily', anchor: '2026-01-01' },
      { provider: 'b', model: 'monthly', tokens: 1_000_000, period: 'monthly', anchor: '2026-01-15' },
      {
        provider: 'c',
        model: 'ending',
        tokens: 1_000_000,
        period: 'monthly',
        anchor: '2026-01-15',
        expires: '2026-11-28',
      },
    ],
    scenarios: { default: ['pricey', 'zero', 'monthly', 'daily', 'ending'] },
  };
  return buildCatalog(base, ...layers);
}
function planTiny(over: Over = {}, ...layers: CatalogData[]): RoutePlan {
  return plan({ catalog: tiny(...layers), keyedProviders: TINY_KEYS, ...over });
}

describe('the built-in catalog on 2026-11-26 with every key', () => {
  it('puts the daily Qwen tier before the monthly llama and moonshot ones; expired aliyun tiers and paid models are skipped', () => {
    const p = plan();
    assert.equal(p.target, 'scenario:default');
    assert.equal(p.scenario, 'default');
    // The daily windows that reset at 00:00 UTC first (OpenRouter's rpd, then SiliconFlow's tpd, in list order), then
    // Gemini's at midnight Pacific, the rolling ones, Mistral's month (the 1st), Groq's and Moonshot's anchored months.
    assert.deepEqual(order(p), [
      'openrouter:gpt-oss-20b:free (free-tier)',
      'siliconflow:Qwen2.5-7B-Instruct (free-tier)',
      'gemini:gemini-2.5-flash (free-tier)',
      'cerebras:gpt-oss-120b (free-tier)',
      'mistral:mistral-small-latest (free-tier)',
      'groq:llama-3.1-8b-instant (free-tier)',
      'moonshot:moonshot-v1-8k (free-tier)',
    ]);
    assert.equal(p.candidates[1]!.tier?.nextReset, Date.UTC(2026, 10, 27));
    assert.equal(p.candidates[5]!.tier?.nextReset, Date.UTC(2026, 11, 15));
    const qwen = { key: 'siliconflow:Qwen2.5-7B-Instruct', remaining: 500_000, nextReset: Date.UTC(2026, 10, 27) };
    assert.deepEqual(p.candidates[1]!.tier, qwen);
    for (const model of ['kimi-k2.5', 'deepseek-v3.2', 'qwen3-max-preview']) {
      assert.equal(skipOf(p, 'aliyun', model).reason, 'expired');
    }
    assert.match(skipOf(p, 'aliyun', 'deepseek-v3.2').detail, /^free tier ended 2026-03-03; pass --allow-paid/);
    assert.equal(skipOf(p, 'moonshot', 'kimi-k2.5').reason, 'paid_not_allowed');
    assert.equal(skipOf(p, 'openai', 'gpt-4.1-mini').reason, 'paid_not_allowed');
    assert.equal(skipOf(p, 'anthropic', 'claude-haiku-5-5').reason, 'paid_not_allowed');
    assert.equal(p.candidates.length + p.skipped.length, 14, 'each deployment of the scenario is accounted for once');
  });

  it('with allowPaid, paid deployments follow the free-tier ones, in list order, a model’s priced deployment first', () => {
    const p = plan({ request: { allowPaid: true } });
    assert.deepEqual(order(p), [
      'openrouter:gpt-oss-20b:free (free-tier)',
      'siliconflow:Qwen2.5-7B-Instruct (free-tier)',
      'gemini:gemini-2.5-flash (free-tier)',
      'cerebras:gpt-oss-120b (free-tier)',
      'mistral:mistral-small-latest (free-tier)',
      'groq:llama-3.1-8b-instant (free-tier)',
      'moonshot:moonshot-v1-8k (free-tier)',
      'moonshot:kimi-k2.5 (paid)', // $0.002 in: known price before aliyun's unknown one
      'aliyun:kimi-k2.5 (paid)', // its tier expired: billed
      'aliyun:deepseek-v3.2 (paid)',
      'aliyun:qwen3-max-preview (paid)',
      'deepseek:deepseek-flash (paid)',
      'openai:gpt-4.1-mini (paid)',
      'anthropic:claude-haiku-5-5 (paid)',
    ]);
    assert.deepEqual(p.skipped, []);
  });

  it('reports no key for every provider without one, naming its env variable and the command', () => {
    const p = plan({ keyedProviders: new Set(['groq']) });
    assert.deepEqual(order(p), ['groq:llama-3.1-8b-instant (free-tier)']);
    const s = skipOf(p, 'siliconflow', 'Qwen2.5-7B-Instruct');
    assert.equal(s.reason, 'no_key');
    assert.equal(s.detail, 'no key: set SILICONFLOW_API_KEY or run `llm-gateway providers add siliconflow`');
    assert.equal(
      skipOf(p, 'aliyun', 'deepseek-v3.2').detail,
      'no key: set ALIYUN_API_KEY (or DASHSCOPE_API_KEY) or run `llm-gateway providers add aliyun`',
    );
  });
});

describe('target resolution', () => {
  it('an explicit model gives only its deployments; the scenario is ignored', () => {
    const p = plan({ request: { model: 'kimi-k2.5', scenario: 'code', allowPaid: true } });
    assert.equal(p.target, 'kimi-k2.5');
    assert.equal(p.scenario, undefined);
    assert.deepEqual(order(p), ['moonshot:kimi-k2.5 (paid)', 'aliyun:kimi-k2.5 (paid)']);
  });

  it('an explicit model uses its aliyun free tier while it runs', () => {
    const p = plan({ request: { model: 'kimi-k2.5' }, now: Date.UTC(2026, 3, 1) });
    assert.deepEqual(order(p), ['aliyun:kimi-k2.5 (free-tier)']);
    assert.equal(skipOf(p, 'moonshot', 'kimi-k2.5').reason, 'paid_not_allowed');
    assert.equal(p.candidates[0]!.tier?.expires, Date.UTC(2026, 3, 30));
  });

  it('`provider:model` pins one deployment', () => {
    const p = plan({ request: { model: 'moonshot:kimi-k2.5', allowPaid: true } });
    assert.equal(p.target, 'moonshot:kimi-k2.5');
    assert.deepEqual(order(p), ['moonshot:kimi-k2.5 (paid)']);
    assert.deepEqual(p.skipped, []);
  });

  it('an alias resolves to its model id', () => {
    const p = plan({ request: { model: 'llama' } });
    assert.equal(p.target, 'llama-3.1-8b-instant');
    assert.deepEqual(order(p), ['groq:llama-3.1-8b-instant (free-tier)']);
  });

  it('an unknown model is a LookupError carrying the nearest ids (the CLI names them)', () => {
    assert.throws(
      () => plan({ request: { model: 'kimi-k2' } }),
      (err: unknown) =>
        err instanceof LookupError &&
        err.failure.code === 'unknown_model' &&
        err.failure.nearest.includes('kimi-k2.5') &&
        /unknown model "kimi-k2"/.test(err.message) &&
        /"kimi-k2\.5"/.test(failureText(err).hint ?? ''),
    );
  });

  it('an unknown scenario is a LookupError carrying the known ones (the CLI lists them)', () => {
    assert.throws(
      () => plan({ request: { scenario: 'poetry' } }),
      (err: unknown) =>
        err instanceof LookupError &&
        err.failure.code === 'unknown_scenario' &&
        /unknown scenario "poetry"/.test(err.message) &&
        failureText(err).hint === 'known scenarios: default, code, reasoning, long_context, background',
    );
  });

  it('`auto` with a long prompt picks long_context; a short one default; an explicit scenario wins', () => {
    const p = plan({ request: { model: 'auto', inputTokens: 20_000 } });
    assert.equal(p.target, 'scenario:long_context');
    assert.equal(scenarioFor({ inputTokens: 16_000, allowPaid: false }), 'default');
    assert.equal(scenarioFor({ inputTokens: 16_001, allowPaid: false }), 'long_context');
    assert.equal(scenarioFor({ inputTokens: 500, allowPaid: false }, 400), 'long_context');
    assert.equal(scenarioFor({ inputTokens: 20_000, scenario: 'code', allowPaid: false }), 'code');
    assert.equal(plan({ request: { inputTokens: 500 }, longPromptTokens: 400 }).scenario, 'long_context');
  });

  it('an explicit model too small for a long prompt is skipped, not rerouted', () => {
    const p = plan({ request: { model: 'moonshot-v1-8k', inputTokens: 38_976 } });
    assert.deepEqual(p.candidates, []);
    const s = skipOf(p, 'moonshot', 'moonshot-v1-8k');
    assert.equal(s.reason, 'context_too_small');
    assert.equal(s.detail, 'needs ~40,000 tokens (38,976 prompt + 1,024 answer), context window is 8,192');
  });

  it('when only the answer budget does not fit, the fix named is a lower --max-tokens, not a shorter input', () => {
    const budget = failureText(noCandidateError(plan({ request: { inputTokens: 9, maxOutputTokens: 10_000_000 } })));
    assert.match(budget.hint ?? '', /lower --max-tokens/);
    assert.doesNotMatch(budget.hint ?? '', /shorten the input/);
    const long = failureText(noCandidateError(plan({ request: { model: 'moonshot-v1-8k', inputTokens: 38_976 } })));
    assert.match(long.hint ?? '', /shorten the input/);
  });

  it('a scenario entry naming a model the catalog lacks is passed over, not fatal', () => {
    const p = planTiny({}, { scenarios: { default: ['gone-model', 'daily'] } });
    assert.deepEqual(order(p), ['a:daily (free-tier)']);
    assert.deepEqual(p.skipped, []);
  });

  it('a deployment listed twice in a scenario is considered once', () => {
    const p = planTiny({}, { scenarios: { default: ['daily', 'monthly', 'daily', 'a:daily'] } });
    assert.deepEqual(order(p), ['a:daily (free-tier)', 'b:monthly (free-tier)']);
  });
});

describe('skip reasons', () => {
  it('missing_capability: the request’s own, and the scenario’s when it is a capability', () => {
    const vision = plan({ request: { model: 'llama', capabilities: ['vision'] } });
    const s = skipOf(vision, 'groq', 'llama-3.1-8b-instant');
    assert.equal(s.reason, 'missing_capability');
    assert.equal(s.detail, 'lacks vision (has text, code, tools, json)');

    const code = planTiny(
      { request: { scenario: 'code', allowPaid: true } },
      { scenarios: { code: ['daily', 'pricey'] } },
    );
    assert.deepEqual(order(code), ['b:pricey (paid)']);
    assert.equal(skipOf(code, 'a', 'daily').detail, 'lacks code (has text)');
  });

  it('context_too_small counts the answer budget: max output tokens, else the default reserve', () => {
    const fits = planTiny({ request: { model: 'small', inputTokens: 4096 - DEFAULT_OUTPUT_RESERVE } });
    assert.deepEqual(order(fits), ['a:small (free)']);
    const over = planTiny({ request: { model: 'small', inputTokens: 4096 - DEFAULT_OUTPUT_RESERVE + 1 } });
    assert.equal(skipOf(over, 'a', 'small').reason, 'context_too_small');
    const budget = planTiny({ request: { model: 'small', inputTokens: 3000, maxOutputTokens: 2000 } });
    assert.equal(
      skipOf(budget, 'a', 'small').detail,
      'needs ~5,000 tokens (3,000 prompt + 2,000 answer), context window is 4,096',
    );
  });

  it('no_key for a provider the catalog does not know', () => {
    const catalog = buildCatalog({
      providers: [{ id: 'a' }],
      models: [{ id: 'm', deployments: [{ provider: 'ghost', price: { input: 0, output: 0 } }] }],
    });
    const s = skipOf(plan({ catalog, request: { model: 'm' } }), 'ghost', 'm');
    assert.equal(s.reason, 'no_key');
    assert.equal(s.detail, 'provider "ghost" is not configured: run `llm-gateway providers add ghost`');
  });

  it('key_rejected for an auth cooldown on the provider, naming how to replace the key', () => {
    const cd: Cooldown = { provider: 'groq', kind: 'auth', until: NOV_26 + 3_600_000, reason: '401 invalid api key' };
    const s = skipOf(
      plan({ request: { model: 'llama' }, snapshot: snapshot({}, [cd]) }),
      'groq',
      'llama-3.1-8b-instant',
    );
    assert.equal(s.reason, 'key_rejected');
    assert.equal(
      s.detail,
      'Groq rejected the key (401 invalid api key); set GROQ_API_KEY or run `llm-gateway providers add groq`' +
        ' (otherwise retried after 2026-11-26 13:00:00 UTC (in 1h 0m))',
    );
  });

  it('cooling_down for other cooldowns on the deployment or the provider, saying until when and why', () => {
    const rate: Cooldown = {
      provider: 'groq',
      model: 'llama-3.1-8b-instant',
      kind: 'rate_limited',
      until: NOV_26 + 30_000,
      reason: '429 retry after 30s',
    };
    const s = skipOf(
      plan({ request: { model: 'llama' }, snapshot: snapshot({}, [rate]) }),
      'groq',
      'llama-3.1-8b-instant',
    );
    assert.equal(s.reason, 'cooling_down');
    assert.equal(
      s.detail,
      'groq:llama-3.1-8b-instant is rate-limited (429 retry after 30s); cooling down until 2026-11-26 12:00:30 UTC (in 30s)',
    );

    const down: Cooldown = { provider: 'groq', kind: 'down', until: NOV_26 + 120_000, reason: '503' };
    const t = skipOf(
      plan({ request: { model: 'llama' }, snapshot: snapshot({}, [down]) }),
      'groq',
      'llama-3.1-8b-instant',
    );
    assert.equal(t.reason, 'cooling_down');
    assert.match(t.detail, /^groq is failing \(503\); cooling down until 2026-11-26 12:02:00 UTC/);

    // An auth cooldown on one model (a 404 model, say) is not the key's fault.
    const auth: Cooldown = {
      provider: 'groq',
      model: 'llama-3.1-8b-instant',
      kind: 'auth',
      until: NOV_26 + 60_000,
      reason: '404',
    };
    const u = skipOf(
      plan({ request: { model: 'llama' }, snapshot: snapshot({}, [auth]) }),
      'groq',
      'llama-3.1-8b-instant',
    );
    assert.equal(u.reason, 'cooling_down');
  });

  it('a cooldown that has run out no longer skips', () => {
    const old: Cooldown = { provider: 'groq', kind: 'down', until: NOV_26, reason: '503' };
    const p = plan({ request: { model: 'llama' }, snapshot: snapshot({}, [old]) });
    assert.deepEqual(order(p), ['groq:llama-3.1-8b-instant (free-tier)']);
  });

  it('exhausted for an `exhausted` cooldown on the tier, until its reset, even when paid is allowed', () => {
    const cd: Cooldown = {
      provider: 'groq',
      model: 'llama-3.1-8b-instant',
      kind: 'exhausted',
      until: Date.UTC(2026, 11, 15),
      reason: 'insufficient_quota',
    };
    const p = plan({ request: { model: 'llama', allowPaid: true }, snapshot: snapshot({}, [cd]) });
    const s = skipOf(p, 'groq', 'llama-3.1-8b-instant');
    assert.equal(s.reason, 'exhausted');
    assert.equal(s.detail, 'free tier used up (insufficient_quota), until 2026-12-15 (in 18d)');
  });

  it('exhausted when the ledger shows the tier used up, with counts and the reset day', () => {
    const usage = { [LLAMA]: { used: 1_000_000, reserved: 0 } };
    const s = skipOf(plan({ request: { model: 'llama' }, snapshot: snapshot(usage) }), 'groq', 'llama-3.1-8b-instant');
    assert.equal(s.reason, 'exhausted');
    assert.equal(
      s.detail,
      'free tier used up (1,000,000 of 1,000,000), resets 2026-12-15; pass --allow-paid to use it at its paid price',
    );
  });

  it('exhausted when what is left (after calls in flight) cannot carry prompt + answer budget', () => {
    const usage = { [LLAMA]: { used: 998_000, reserved: 1_000 } };
    const snap = snapshot(usage);
    const s = skipOf(
      plan({ request: { model: 'llama', inputTokens: 1_000 }, snapshot: snap }),
      'groq',
      'llama-3.1-8b-instant',
    );
    assert.equal(s.reason, 'exhausted');
    assert.match(
      s.detail,
      /^free tier has 1,000 tokens left, 1,000 held by calls in flight, this call needs ~2,024; resets 2026-12-15/,
    );
    // The same call with a smaller answer budget fits.
    const fits = plan({ request: { model: 'llama', inputTokens: 900, maxOutputTokens: 100 }, snapshot: snap });
    assert.deepEqual(fits.candidates[0]!.tier, {
      key: 'groq:llama-3.1-8b-instant',
      remaining: 1_000,
      nextReset: Date.UTC(2026, 11, 15),
    });
    // With paid allowed, it is billed instead (groq's price is unknown: still paid).
    assert.deepEqual(
      order(plan({ request: { model: 'llama', inputTokens: 1_000, allowPaid: true }, snapshot: snap })),
      ['groq:llama-3.1-8b-instant (paid)'],
    );
  });

  it('an exhausted tier that expires before it would reset says so', () => {
    const usage = { 'c:ending': { used: 1_000_000, reserved: 0 } };
    const s = skipOf(planTiny({ request: { model: 'ending' }, snapshot: snapshot(usage) }), 'c', 'ending');
    assert.match(s.detail, /^free tier used up \(1,000,000 of 1,000,000\), ends 2026-11-28;/);
  });

  it('paid_not_allowed for priced and unknown-price models, with the flag to pass', () => {
    const p = plan({ request: { model: 'gpt-4.1-mini' } });
    const s = skipOf(p, 'openai', 'gpt-4.1-mini');
    assert.equal(s.reason, 'paid_not_allowed');
    assert.equal(s.detail, 'paid model ($0.0004/$0.0016 per 1K tokens in/out); pass --allow-paid or set allowPaid');
    const catalog = buildCatalog({ providers: [{ id: 'a' }], models: [{ id: 'm', deployments: [{ provider: 'a' }] }] });
    const unknown = skipOf(plan({ catalog, request: { model: 'm' }, keyedProviders: new Set(['a']) }), 'a', 'm');
    assert.equal(unknown.detail, 'paid model (price unknown); pass --allow-paid or set allowPaid');
  });

  it('checks run in the documented order: capability before context before key', () => {
    const p = plan({
      request: { model: 'moonshot-v1-8k', inputTokens: 50_000, capabilities: ['vision'] },
      keyedProviders: new Set(),
    });
    assert.equal(skipOf(p, 'moonshot', 'moonshot-v1-8k').reason, 'missing_capability');
    const q = plan({ request: { model: 'moonshot-v1-8k', inputTokens: 50_000 }, keyedProviders: new Set() });
    assert.equal(skipOf(q, 'moonshot', 'moonshot-v1-8k').reason, 'context_too_small');
    const cd: Cooldown = { provider: 'moonshot', kind: 'auth', until: NOV_26 + 1000, reason: '' };
    const r = plan({ request: { model: 'moonshot-v1-8k' }, keyedProviders: new Set(), snapshot: snapshot({}, [cd]) });
    assert.equal(skipOf(r, 'moonshot', 'moonshot-v1-8k').reason, 'no_key');
  });
});

describe('ordering and billing', () => {
  it('free-tier first, soonest to lapse first (expiry counts), then free, then paid, each in list order', () => {
    const p = planTiny({ request: { allowPaid: true } });
    // daily resets 11-27, ending expires 11-28, monthly resets 12-15; list order was pricey, zero, monthly, daily, ending.
    assert.deepEqual(order(p), [
      'a:daily (free-tier)',
      'c:ending (free-tier)',
      'b:monthly (free-tier)',
      'a:zero (free)',
      'b:pricey (paid)',
    ]);
    assert.equal(p.candidates[1]!.tier?.expires, Date.UTC(2026, 10, 28));
    const noPaid = planTiny();
    assert.ok(
      noPaid.candidates.every((c) => c.billing !== 'paid'),
      'paid is never chosen without allowPaid',
    );
    assert.equal(skipOf(noPaid, 'b', 'pricey').reason, 'paid_not_allowed');
  });

  it('free-tier ties keep list order', () => {
    // `twin` lapses with `monthly` on 12-15; whichever the scenario lists first comes first.
    const twin: CatalogData = {
      models: [{ id: 'twin', deployments: [{ provider: 'a', price: null }] }],
      freeTiers: [{ provider: 'a', model: 'twin', tokens: 1_000_000, period: 'monthly', anchor: '2026-01-15' }],
    };
    const first = planTiny({}, twin, { scenarios: { default: ['twin', 'monthly', 'daily'] } });
    assert.deepEqual(order(first), ['a:daily (free-tier)', 'a:twin (free-tier)', 'b:monthly (free-tier)']);
    const second = planTiny({}, twin, { scenarios: { default: ['monthly', 'twin', 'daily'] } });
    assert.deepEqual(order(second), ['a:daily (free-tier)', 'b:monthly (free-tier)', 'a:twin (free-tier)']);
  });

  it('a model’s paid deployments: cheaper known price first, unknown last', () => {
    const catalog = buildCatalog({
      providers: [{ id: 'x' }, { id: 'y' }, { id: 'z' }],
      models: [
        {
          id: 'm',
          deployments: [
            { provider: 'x', price: null },
            { provider: 'y', price: { input: 0.005, output: 0.01 } },
            { provider: 'z', price: { input: 0.001, output: 0.002 } },
          ],
        },
      ],
    });
    const p = plan({ catalog, keyedProviders: new Set(['x', 'y', 'z']), request: { model: 'm', allowPaid: true } });
    assert.deepEqual(order(p), ['z:m (paid)', 'y:m (paid)', 'x:m (paid)']);
  });

  it('a tier is expired from 00:00 UTC of its expires day, active one millisecond before', () => {
    const end = Date.UTC(2026, 2, 3); // deepseek-v3.2's tier: expires 2026-03-03
    const before = plan({ request: { model: 'deepseek' }, now: end - 1 });
    assert.deepEqual(order(before), ['aliyun:deepseek-v3.2 (free-tier)']);
    assert.equal(before.candidates[0]!.tier?.expires, end);
    const at = plan({ request: { model: 'deepseek' }, now: end });
    assert.deepEqual(at.candidates, []);
    assert.equal(skipOf(at, 'aliyun', 'deepseek-v3.2').reason, 'expired');
    assert.deepEqual(order(plan({ request: { model: 'deepseek', allowPaid: true }, now: end })), [
      'aliyun:deepseek-v3.2 (paid)',
    ]);
  });
});

describe('purity', () => {
  it('the same input twice gives deep-equal plans and leaves the input untouched', () => {
    const input: RouteInput = {
      catalog: buildCatalog(BUILTIN),
      snapshot: snapshot({ 'groq:llama-3.1-8b-instant': { used: 10, reserved: 5 } }, [
        { provider: 'moonshot', kind: 'rate_limited', until: NOV_26 + 5000, reason: 'slow down' },
      ]),
      keyedProviders: new Set(ALL_KEYS),
      request: { inputTokens: 2000, allowPaid: true, capabilities: ['text'] },
      now: NOV_26,
    };
    const before = structuredClone(input);
    const first = planRoute(input);
    const second = planRoute(input);
    assert.deepEqual(first, second);
    assert.deepEqual(input, before);
    // Candidates point into the catalog rather than copying it.
    assert.equal(first.candidates[0]!.model, input.catalog.models.get('gpt-oss-20b:free'));
  });
});

describe('estimateTokens (an estimate, leaning high)', () => {
  it('counts ASCII at 3 characters a token, rounding up', () => {
    assert.equal(estimateTokens(''), 0);
    assert.equal(estimateTokens('a'), 1);
    assert.equal(estimateTokens('abc'), 1);
    assert.equal(estimateTokens('abcd'), 2);
    assert.equal(estimateTokens('x'.repeat(30_000)), 10_000);
  });

  it('counts a CJK character as a token and an emoji as two', () => {
    assert.equal(estimateTokens('你好世界'), 4);
    assert.equal(estimateTokens('こんにちは'), 5);
    assert.equal(estimateTokens('😀'), 2);
    assert.equal(estimateTokens('hi 你好'), 1 + 2);
  });

  it('a prompt adds a few tokens of framing per message', () => {
    assert.equal(estimatePromptTokens([]), 0);
    const one = estimatePromptTokens([{ role: 'user', content: 'abc' }]);
    assert.ok(one > estimateTokens('abc'));
    assert.equal(
      estimatePromptTokens([
        { role: 'system', content: 'abc' },
        { role: 'user', content: 'abc' },
      ]) - one,
      one - 3,
    );
  });
});
