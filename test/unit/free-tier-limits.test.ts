// Free tiers counted as providers count them (issue 19, point 1): windows in requests, tokens and input tokens, per
// minute to month, rolling or reset at a boundary in a named time zone — the arithmetic, and a run through the real
// gateway, SDK and SQLite ledger against the fake upstream: with Groq's free plan cut to 30 requests a day, the 31st
// of 40 requests goes to the next candidate before any 429 is seen, and the plan says which limit blocked.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { buildCatalog } from '../../src/core/catalog.ts';
import { createGateway } from '../../src/core/gateway.ts';
import { limitsOf, limitWindow, describeLimit } from '../../src/core/limits.ts';
import type { FreeTier, Limit } from '../../src/core/types.ts';
import { createOpenAiCompatibleAdapter } from '../../src/providers/openai-compatible.ts';
import { openLedger } from '../../src/store/ledger.ts';
import { sqliteQuota } from '../../src/store/quota-backend.ts';
import { startFakeUpstream, type FakeUpstream } from '../fake-upstream/index.ts';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
const tierWith = (...limits: Limit[]): FreeTier => ({ provider: 'p', model: 'm', anchor: '2026-01-01', limits });

describe('limit windows', () => {
  const now = at('2026-11-26T04:00:00Z');
  const window = (limit: Limit) => {
    const w = limitWindow(limitsOf(tierWith(limit))[0]!, now);
    return [iso(w.start), iso(w.resetsAt)];
  };

  test('a day that resets at midnight in the provider’s time zone', () => {
    // 04:00 UTC on Nov 26 is 20:00 on Nov 25 in Los Angeles (PST, UTC-8): that day began at 08:00 UTC.
    const pacific: Limit = {
      unit: 'requests',
      per: 'day',
      limit: 1500,
      resets: 'boundary',
      timeZone: 'America/Los_Angeles',
    };
    assert.deepEqual(window(pacific), ['2026-11-25T08:00:00.000Z', '2026-11-26T08:00:00.000Z']);
    assert.deepEqual(window({ ...pacific, timeZone: undefined }), [
      '2026-11-26T00:00:00.000Z',
      '2026-11-27T00:00:00.000Z',
    ]);
  });

  test('rolling windows have no reset; calendar ones start on the minute, the hour, Monday, the 1st', () => {
    assert.deepEqual(window({ unit: 'requests', per: 'minute', limit: 30, resets: 'rolling' }), [
      '2026-11-26T03:59:00.000Z',
      undefined,
    ]);
    assert.deepEqual(window({ unit: 'tokens', per: 'hour', limit: 1, resets: 'boundary' }), [
      '2026-11-26T04:00:00.000Z',
      '2026-11-26T05:00:00.000Z',
    ]);
    assert.deepEqual(window({ unit: 'tokens', per: 'week', limit: 1, resets: 'boundary' }), [
      '2026-11-23T00:00:00.000Z',
      '2026-11-30T00:00:00.000Z',
    ]);
    assert.deepEqual(window({ unit: 'tokens', per: 'month', limit: 1, resets: 'boundary' }), [
      '2026-11-01T00:00:00.000Z',
      '2026-12-01T00:00:00.000Z',
    ]);
  });

  test('the old allowance is one limit, counted from its anchor as before', () => {
    const [legacy] = limitsOf({
      provider: 'p',
      model: 'm',
      tokens: 1_000_000,
      period: 'monthly',
      anchor: '2026-02-15',
    });
    assert.equal(legacy!.name, 'tokens/month');
    const w = limitWindow(legacy!, now);
    assert.deepEqual([iso(w.start), iso(w.resetsAt)], ['2026-11-15T00:00:00.000Z', '2026-12-15T00:00:00.000Z']);
  });

  test('what --explain says of a limit', () => {
    const [rpd] = limitsOf(tierWith({ unit: 'requests', per: 'day', limit: 14_400, resets: 'boundary' }));
    assert.equal(describeLimit(rpd!, 14_400, now), 'rpd: 14,400/14,400, resets 00:00 UTC');
    const [tpm] = limitsOf(tierWith({ unit: 'tokens', per: 'minute', limit: 6000, resets: 'rolling' }));
    assert.equal(describeLimit(tpm!, 5000, now), 'tpm: 5,000/6,000, rolling minute');
  });
});

describe('routing reserves against every limit (real gateway, SDK and ledger)', () => {
  let fake: FakeUpstream;
  let dir: string;
  before(async () => {
    fake = await startFakeUpstream();
    dir = mkdtempSync(join(tmpdir(), 'llm-gw-limits-'));
  });
  after(() => {
    fake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function gatewayWith(limits: Limit[], ledgerName: string, clock: { now: number }) {
    const ledger = openLedger(join(dir, ledgerName));
    const catalog = buildCatalog({
      providers: [
        { id: 'groq', name: 'Groq', protocol: 'openai' },
        { id: 'backup', name: 'Backup', protocol: 'openai' },
      ],
      models: [
        { id: 'm1', contextWindow: 32_000, deployments: [{ provider: 'groq', price: null }] },
        { id: 'b1', contextWindow: 32_000, deployments: [{ provider: 'backup', price: { input: 0, output: 0 } }] },
      ],
      freeTiers: [{ provider: 'groq', model: 'm1', anchor: '2026-01-01', limits }],
      scenarios: { default: ['m1', 'b1'] },
    });
    let ids = 0;
    const gateway = createGateway({
      catalog,
      ledger: sqliteQuota(ledger.quota, ledger.path),
      adapterFor: async () => createOpenAiCompatibleAdapter(),
      credentials: () => ({ apiKey: 'gsk-test-0123456789abcdef', baseUrl: fake.openaiBaseUrl }),
      now: () => clock.now,
      newRequestId: () => `req-${++ids}`,
      timeouts: { connectMs: 10_000, idleMs: 10_000 },
      allowPaid: false,
      sleep: async () => {},
    });
    return { gateway, ledger };
  }

  async function ask(gateway: ReturnType<typeof gatewayWith>['gateway']): Promise<string> {
    const chat = gateway.chat({ messages: [{ role: 'user', content: 'hi' }], maxTokens: 50 });
    for (;;) {
      const step = await chat.next();
      if (step.done) return step.value.model;
    }
  }

  test('40 requests against RPD 30: the 31st goes to the next candidate before any 429, and the plan says why', async () => {
    fake.clear();
    const clock = { now: at('2026-11-26T12:00:00Z') };
    const rpd: Limit = { unit: 'requests', per: 'day', limit: 30, resets: 'boundary' };
    const { gateway, ledger } = gatewayWith([rpd], 'rpd.db', clock);
    const answeredBy: string[] = [];
    for (let i = 0; i < 40; i++) {
      answeredBy.push(await ask(gateway));
      clock.now += 1000;
    }
    assert.deepEqual(answeredBy, [...Array(30).fill('m1'), ...Array(10).fill('b1')]);
    // Groq would answer a 31st request with 429 (RPD): it is never sent one. Each request was sent once.
    const sent = fake.requests.map((r) => r.model);
    assert.deepEqual([sent.filter((m) => m === 'm1').length, sent.filter((m) => m === 'b1').length], [30, 10]);
    const skip = (await gateway.plan({ messages: [{ role: 'user', content: 'hi' }], maxTokens: 50 })).skipped[0]!;
    assert.deepEqual([skip.model, skip.reason, skip.detail], ['m1', 'exhausted', 'rpd: 30/30, resets 00:00 UTC']);
    // The next day the limit has room again.
    clock.now = at('2026-11-27T00:00:01Z');
    assert.equal(await ask(gateway), 'm1');
    ledger.close();
  });

  test('a rolling per-minute request limit frees as the minute passes; a token limit counts prompt + answer', async () => {
    fake.clear();
    const clock = { now: at('2026-11-26T12:00:00Z') };
    const limits: Limit[] = [
      { unit: 'requests', per: 'minute', limit: 2, resets: 'rolling' },
      { unit: 'tokens', per: 'day', limit: 1_000_000, resets: 'boundary' },
    ];
    const { gateway, ledger } = gatewayWith(limits, 'rpm.db', clock);
    assert.deepEqual([await ask(gateway), await ask(gateway), await ask(gateway)], ['m1', 'm1', 'b1']);
    const skip = (await gateway.plan({ messages: [{ role: 'user', content: 'hi' }], maxTokens: 50 })).skipped[0]!;
    assert.equal(skip.detail, 'rpm: 2/2, rolling minute');
    clock.now += 61_000;
    assert.equal(await ask(gateway), 'm1');
    ledger.close();
  });
});
