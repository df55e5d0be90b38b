// The failure table (docs/ARCHITECTURE.md, src/core/failure-policy.ts) as a table test: for every UpstreamError
// kind, on the first and on the second attempt, whether the same deployment is tried again (and after what wait),
// whether the next candidate may follow, and the cooldown every other process will see.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildCatalog } from '../../src/core/catalog.ts';
import { UpstreamError, type UpstreamErrorKind } from '../../src/core/errors.ts';
import {
  decideOnFailure,
  SERVER_BACKOFF_MS,
  SHORT_RETRY_AFTER_MS,
  type FailureDecision,
} from '../../src/core/failure-policy.ts';
import { keyFingerprint } from '../../src/core/cooldown-scope.ts';
import type { Billing, Candidate, Cooldown, CooldownScope, FreeTier } from '../../src/core/types.ts';

const NOW = Date.UTC(2026, 10, 26, 12, 0, 0); // 2026-11-26 12:00 UTC
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

const DAILY: FreeTier = { provider: 'p', model: 'm', tokens: 100_000, period: 'daily', anchor: '2026-01-01' };
const MONTHLY: FreeTier = { provider: 'p', model: 'm', tokens: 100_000, period: 'monthly', anchor: '2026-01-15' };
const DAILY_RESET = Date.UTC(2026, 10, 27); // the next UTC midnight
const MONTHLY_RESET = Date.UTC(2026, 11, 15); // the next 15th

const catalog = buildCatalog({
  providers: [{ id: 'p', name: 'Provider P' }],
  models: [{ id: 'm', contextWindow: 32_000, deployments: [{ provider: 'p', price: null }] }],
});
const model = catalog.models.get('m')!;

function candidate(billing: Billing): Candidate {
  return {
    model,
    deployment: model.deployments[0]!,
    provider: catalog.providers.get('p')!,
    billing,
    ...(billing === 'free-tier' ? { tier: { key: 'p:m', remaining: 100_000, nextReset: DAILY_RESET } } : {}),
  };
}

function upstream(kind: UpstreamErrorKind, status?: number, retryAfterMs?: number): UpstreamError {
  return new UpstreamError({ provider: 'p', kind, status, retryAfterMs, message: `p: ${kind}` });
}

/** The key and endpoint the failed call used: a rejected key and a failing endpoint carry their fingerprints. */
const SETUP = { apiKey: 'key-p', baseUrl: 'https://p.example/v1' };
const DEPLOYMENT: CooldownScope = { provider: 'p', model: 'm' };
const ENDPOINT: CooldownScope = { provider: 'p', model: 'm', endpointFingerprint: keyFingerprint(SETUP.baseUrl) };
const KEY: CooldownScope = { provider: 'p', keyFingerprint: keyFingerprint(SETUP.apiKey) };
const cool = (kind: Cooldown['kind'], until: number, scope = DEPLOYMENT) => ({ ...scope, kind, until });

interface Row {
  name: string;
  error: UpstreamError;
  attempt: 1 | 2;
  tier?: FreeTier;
  billing?: Billing;
  /** The decision, with the cooldown's free-text reason left out. */
  expect: Omit<FailureDecision, 'cooldown'> & { cooldown?: Omit<Cooldown, 'reason'> };
}

const ROWS: Row[] = [
  // refused / reset / timeout: once more at once, then 30 s off and the next candidate
  {
    name: 'connection, 1st: retried at once',
    error: upstream('connection'),
    attempt: 1,
    expect: { retryAfterMs: 0, next: true },
  },
  {
    name: 'connection, 2nd: next, down 30 s',
    error: upstream('connection'),
    attempt: 2,
    expect: { next: true, cooldown: cool('down', NOW + 30 * SECOND, ENDPOINT) },
  },
  {
    name: 'timeout, 1st: retried at once',
    error: upstream('timeout'),
    attempt: 1,
    expect: { retryAfterMs: 0, next: true },
  },
  {
    name: 'timeout, 2nd: next, down 30 s',
    error: upstream('timeout'),
    attempt: 2,
    expect: { next: true, cooldown: cool('down', NOW + 30 * SECOND, ENDPOINT) },
  },

  // 429 with a short Retry-After: wait it out and try again, once
  {
    name: 'rate_limit 2 s, 1st: wait 2 s, retry',
    error: upstream('rate_limit', 429, 2000),
    attempt: 1,
    expect: { retryAfterMs: 2000, next: true },
  },
  {
    name: 'rate_limit exactly 5 s, 1st: wait 5 s, retry',
    error: upstream('rate_limit', 429, SHORT_RETRY_AFTER_MS),
    attempt: 1,
    expect: { retryAfterMs: 5000, next: true },
  },
  {
    name: 'rate_limit 0 s, 1st: retry at once',
    error: upstream('rate_limit', 429, 0),
    attempt: 1,
    expect: { retryAfterMs: 0, next: true },
  },
  {
    name: 'rate_limit without Retry-After, 1st: wait 5 s, retry',
    error: upstream('rate_limit', 429),
    attempt: 1,
    expect: { retryAfterMs: 5000, next: true },
  },
  {
    name: 'rate_limit 2 s, 2nd: next, rate-limited 2 s',
    error: upstream('rate_limit', 429, 2000),
    attempt: 2,
    expect: { next: true, cooldown: cool('rate_limited', NOW + 2000) },
  },
  {
    name: 'rate_limit 0 s, 2nd: cooldown at least 1 s',
    error: upstream('rate_limit', 429, 0),
    attempt: 2,
    expect: { next: true, cooldown: cool('rate_limited', NOW + SECOND) },
  },
  // 429 with a longer Retry-After: no wait here, the deployment is set aside until then
  {
    name: 'rate_limit 5.001 s, 1st: no wait, until Retry-After',
    error: upstream('rate_limit', 429, 5001),
    attempt: 1,
    expect: { next: true, cooldown: cool('rate_limited', NOW + 5001) },
  },
  {
    name: 'rate_limit 120 s, 1st: no wait, until Retry-After',
    error: upstream('rate_limit', 429, 120_000),
    attempt: 1,
    expect: { next: true, cooldown: cool('rate_limited', NOW + 120_000) },
  },

  // quota-type 429: never retried; its Retry-After, else the tier's next reset, else 1 h
  {
    name: 'quota with Retry-After 90 s, 1st: exhausted until then (not the tier reset)',
    error: upstream('quota', 429, 90_000),
    attempt: 1,
    tier: MONTHLY,
    expect: { next: true, cooldown: cool('exhausted', NOW + 90_000) },
  },
  {
    name: 'quota with Retry-After 90 s, 2nd: the same',
    error: upstream('quota', 429, 90_000),
    attempt: 2,
    tier: DAILY,
    expect: { next: true, cooldown: cool('exhausted', NOW + 90_000) },
  },
  {
    name: 'quota with Retry-After 0 s: exhausted at least 1 s',
    error: upstream('quota', 429, 0),
    attempt: 1,
    tier: DAILY,
    expect: { next: true, cooldown: cool('exhausted', NOW + SECOND) },
  },
  {
    name: 'quota, daily free tier: until its next reset (midnight)',
    error: upstream('quota', 429),
    attempt: 1,
    tier: DAILY,
    expect: { next: true, cooldown: cool('exhausted', DAILY_RESET) },
  },
  {
    name: 'quota, monthly free tier: until its next reset (the 15th)',
    error: upstream('quota', 429),
    attempt: 1,
    tier: MONTHLY,
    expect: { next: true, cooldown: cool('exhausted', MONTHLY_RESET) },
  },
  {
    name: 'quota, no free tier: 1 h',
    error: upstream('quota', 429),
    attempt: 1,
    billing: 'free',
    expect: { next: true, cooldown: cool('exhausted', NOW + HOUR) },
  },
  {
    name: 'quota, paid call on a deployment that has a tier: 1 h, not the tier reset',
    error: upstream('quota', 429),
    attempt: 1,
    tier: MONTHLY,
    billing: 'paid',
    expect: { next: true, cooldown: cool('exhausted', NOW + HOUR) },
  },

  // a provider's wait is capped at a day: `retry-after: 99999999999` (issue #9) is not a cooldown until the year 5195
  {
    name: 'rate_limit asking 99999999999 s: rate-limited for 24 h',
    error: upstream('rate_limit', 429, 99_999_999_999_000),
    attempt: 1,
    expect: { next: true, cooldown: cool('rate_limited', NOW + 24 * HOUR) },
  },
  {
    name: 'quota asking 99999999999 s: exhausted for 24 h',
    error: upstream('quota', 429, 99_999_999_999_000),
    attempt: 2,
    tier: MONTHLY,
    expect: { next: true, cooldown: cool('exhausted', NOW + 24 * HOUR) },
  },

  // account billing: the provider set aside while the same key is in use, 1 h or the stated time
  {
    name: 'billing, 1st: next, the provider 1 h',
    error: upstream('billing', 400),
    attempt: 1,
    tier: DAILY,
    expect: { next: true, cooldown: cool('exhausted', NOW + HOUR, KEY) },
  },
  {
    name: 'billing with a stated wait, 2nd: the provider until then',
    error: upstream('billing', 429, 90_000),
    attempt: 2,
    expect: { next: true, cooldown: cool('exhausted', NOW + 90_000, KEY) },
  },

  // 5xx, a cut or unterminated stream before any text: once more after a backoff, then 1 min off
  {
    name: 'server 500, 1st: retry after the backoff',
    error: upstream('server', 500),
    attempt: 1,
    expect: { retryAfterMs: SERVER_BACKOFF_MS, next: true },
  },
  {
    name: 'server 500, 2nd: next, down 1 min',
    error: upstream('server', 500),
    attempt: 2,
    expect: { next: true, cooldown: cool('down', NOW + MINUTE, ENDPOINT) },
  },
  {
    name: 'protocol, 1st: retry after the backoff',
    error: upstream('protocol'),
    attempt: 1,
    expect: { retryAfterMs: SERVER_BACKOFF_MS, next: true },
  },
  {
    name: 'protocol, 2nd: next, down 1 min',
    error: upstream('protocol'),
    attempt: 2,
    expect: { next: true, cooldown: cool('down', NOW + MINUTE, ENDPOINT) },
  },

  // 401 / 403: the provider while that key is in use, 10 min, never retried
  {
    name: 'auth 401, 1st: next, the provider 10 min',
    error: upstream('auth', 401),
    attempt: 1,
    expect: { next: true, cooldown: cool('auth', NOW + 10 * MINUTE, KEY) },
  },
  {
    name: 'auth 403, 2nd: the same',
    error: upstream('auth', 403),
    attempt: 2,
    expect: { next: true, cooldown: cool('auth', NOW + 10 * MINUTE, KEY) },
  },

  // 404: the deployment at that endpoint, 1 h
  {
    name: 'not_found, 1st: next, the deployment 1 h',
    error: upstream('not_found', 404),
    attempt: 1,
    expect: { next: true, cooldown: cool('down', NOW + HOUR, ENDPOINT) },
  },
  {
    name: 'not_found, 2nd: the same',
    error: upstream('not_found', 404),
    attempt: 2,
    expect: { next: true, cooldown: cool('down', NOW + HOUR, ENDPOINT) },
  },

  // a retired model: the deployment, 24 h (it will not come back; the catalog needs updating)
  {
    name: 'retired, 1st: next, the deployment 24 h',
    error: upstream('retired', 400),
    attempt: 1,
    expect: { next: true, cooldown: cool('down', NOW + 24 * HOUR, ENDPOINT) },
  },
  {
    name: 'retired, 2nd: the same',
    error: upstream('retired', 400),
    attempt: 2,
    expect: { next: true, cooldown: cool('down', NOW + 24 * HOUR, ENDPOINT) },
  },

  // too large for the deployment's rate window: the next candidate, no cooldown (smaller requests still fit)
  { name: 'too_large, 1st: next, no cooldown', error: upstream('too_large', 413), attempt: 1, expect: { next: true } },
  { name: 'too_large, 2nd: the same', error: upstream('too_large', 413), attempt: 2, expect: { next: true } },

  // context length: a larger window only, no cooldown (the deployment is fine)
  {
    name: 'context_length, 1st: larger windows only',
    error: upstream('context_length', 400),
    attempt: 1,
    expect: { next: true, needsLargerWindow: true },
  },
  {
    name: 'context_length, 2nd: the same',
    error: upstream('context_length', 400),
    attempt: 2,
    expect: { next: true, needsLargerWindow: true },
  },

  // our request is wrong, or the caller gave up: stop, no cooldown
  { name: 'bad_request, 1st: stop', error: upstream('bad_request', 400), attempt: 1, expect: { next: false } },
  { name: 'bad_request 422, 2nd: stop', error: upstream('bad_request', 422), attempt: 2, expect: { next: false } },
  { name: 'aborted, 1st: stop', error: upstream('aborted'), attempt: 1, expect: { next: false } },
  { name: 'aborted, 2nd: stop', error: upstream('aborted'), attempt: 2, expect: { next: false } },
];

describe('decideOnFailure', () => {
  for (const row of ROWS) {
    it(row.name, () => {
      const billing = row.billing ?? (row.tier ? 'free-tier' : 'free');
      const decision = decideOnFailure(row.error, candidate(billing), row.attempt, NOW, row.tier, SETUP);
      const { cooldown, ...rest } = decision;
      const { reason, ...cooldownWithoutReason } = cooldown ?? ({} as Partial<Cooldown>);
      assert.deepEqual(cooldown ? { ...rest, cooldown: cooldownWithoutReason } : rest, row.expect);
      if (cooldown) assert.ok(reason && reason.trim(), 'a cooldown says why, for --explain');
    });
  }

  it('covers every UpstreamError kind on the first and the second attempt', () => {
    // A Record over the union: adding a kind to errors.ts without a row here fails to compile.
    const kinds: Record<UpstreamErrorKind, true> = {
      connection: true,
      timeout: true,
      rate_limit: true,
      quota: true,
      billing: true,
      server: true,
      auth: true,
      not_found: true,
      retired: true,
      too_large: true,
      context_length: true,
      bad_request: true,
      protocol: true,
      aborted: true,
    };
    for (const kind of Object.keys(kinds) as UpstreamErrorKind[]) {
      for (const attempt of [1, 2]) {
        assert.ok(
          ROWS.some((r) => r.error.kind === kind && r.attempt === attempt),
          `no row for ${kind} on attempt ${attempt}`,
        );
      }
    }
  });

  it('never retries a deployment more than once: no kind asks for a third attempt', () => {
    for (const row of ROWS) {
      const third = decideOnFailure(row.error, candidate('free'), 3, NOW, undefined, SETUP);
      assert.equal(third.retryAfterMs, undefined, `${row.error.kind} would be tried a third time`);
    }
  });

  it('reads the clock it is given, not the wall clock', () => {
    const later = NOW + 7 * HOUR;
    const decision = decideOnFailure(upstream('server', 503), candidate('free'), 2, later, undefined, SETUP);
    assert.equal(decision.cooldown?.until, later + MINUTE);
  });
});
