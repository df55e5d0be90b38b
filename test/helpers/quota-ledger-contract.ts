// The QuotaLedger port (core/types.ts) as one contract, declared for each implementation by the files that run it:
// test/unit/quota-ledger-contract.test.ts (the SQLite store the commands use by default, and the in-memory ledger of
// the gateway tests) and test/e2e/postgres-ledger-contract.test.ts (the PostgreSQL store several machines share, on
// a real server). A gateway test can only be trusted as far as its ledger behaves like the real one, and a shared
// ledger as far as it behaves like the local one; this is where that is checked, with the same tests for each.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Cooldown, QuotaLedger, TierUsage } from '../../src/core/types.ts';
import type { QuotaBackend } from '../../src/store/quota-backend.ts';
import { reservation, T0, TIER, usage } from './ledger-fixtures.ts';

const WINDOW = [{ key: TIER, windowStart: T0 - 3_600_000 }];

/** Cooldowns in a stable order: the port promises the set, not an order. */
const sorted = (cooldowns: Cooldown[]) =>
  [...cooldowns].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

/** Declares the contract's tests for one implementation; `make` gives a new, empty ledger each time. */
export function quotaLedgerContract(name: string, make: () => Promise<QuotaLedger>): void {
  const tier = async (ledger: QuotaLedger, now = T0, windows = WINDOW): Promise<TierUsage | undefined> =>
    (await ledger.snapshot(windows, now)).usage.get(TIER);

  describe(`QuotaLedger contract: ${name}`, () => {
    it('a tier of several limits: each counted in its unit, a reservation must fit every one', async () => {
      const ledger = await make();
      const start = T0 - 3_600_000;
      const limits = (rpd: number, itpd: number) => [
        { unit: 'requests' as const, windowStart: start, limit: rpd },
        { unit: 'input_tokens' as const, windowStart: start, limit: itpd },
        { unit: 'tokens' as const, windowStart: start, limit: 10_000 },
      ];
      await ledger.settle(usage('u1', { inputTokens: 40, outputTokens: 60 }));
      await ledger.settle(usage('u2', { inputTokens: 10, outputTokens: 5 }));
      assert.equal(await ledger.reserve(reservation('held', { tokens: 30, limits: limits(10, 10_000) })), true);
      const windows = [
        { key: TIER, windowStart: start, unit: 'requests' as const, limit: 'rpd' },
        { key: TIER, windowStart: start, unit: 'input_tokens' as const, limit: 'itpd' },
        { key: TIER, windowStart: start },
      ];
      const { usage: counted } = await ledger.snapshot(windows, T0);
      assert.deepEqual(
        counted.get(`${TIER}#rpd`),
        { used: 2, reserved: 1, heldUntil: T0 + 60_000 },
        'requests: one a call, one a hold',
      );
      assert.deepEqual(
        counted.get(`${TIER}#itpd`),
        { used: 50, reserved: 30, heldUntil: T0 + 60_000 },
        'input tokens; a hold counts whole',
      );
      assert.deepEqual(counted.get(TIER), { used: 115, reserved: 30, heldUntil: T0 + 60_000 });
      // Three requests taken: a limit of 3 has no room for a fourth, whatever the token limits say.
      assert.equal(await ledger.reserve(reservation('r4', { tokens: 1, limits: limits(3, 10_000) })), false);
      // The input-token limit blocks on its own: 50 used + 30 held + this prompt of 21 > 100.
      assert.equal(
        await ledger.reserve(reservation('r5', { tokens: 30, inputTokens: 21, limits: limits(10, 100) })),
        false,
      );
      assert.equal(
        await ledger.reserve(reservation('r6', { tokens: 30, inputTokens: 20, limits: limits(10, 100) })),
        true,
      );
    });

    it('reserve holds tokens, settle turns them into usage, release gives them back', async () => {
      const ledger = await make();
      assert.equal(await ledger.reserve(reservation('a', { tokens: 300 })), true);
      assert.equal(await ledger.reserve(reservation('b', { tokens: 200 })), true);
      assert.deepEqual(await tier(ledger), { used: 0, reserved: 500, heldUntil: T0 + 60_000 });
      await ledger.settle(usage('a', { inputTokens: 40, outputTokens: 60 }));
      assert.deepEqual(await tier(ledger), { used: 100, reserved: 200, heldUntil: T0 + 60_000 });
      await ledger.release('b');
      assert.deepEqual(await tier(ledger), { used: 100, reserved: 0 });
      await ledger.release('never-reserved');
      assert.deepEqual(await tier(ledger), { used: 100, reserved: 0 });
    });

    it('refuses a reservation that would pass the limit, counting usage and other holds; exactly at the limit fits', async () => {
      const ledger = await make();
      await ledger.settle(usage('u', { inputTokens: 500, outputTokens: 100 }));
      assert.equal(await ledger.reserve(reservation('a', { tokens: 300 })), true);
      assert.equal(await ledger.reserve(reservation('b', { tokens: 101 })), false);
      assert.equal(await ledger.reserve(reservation('c', { tokens: 100 })), true);
      assert.equal(await ledger.reserve(reservation('d', { tokens: 1 })), false);
      assert.deepEqual(await tier(ledger), { used: 600, reserved: 400, heldUntil: T0 + 60_000 });
    });

    it('says when the holds on a tier have all freed: the latest expiry of those still live', async () => {
      const ledger = await make();
      assert.equal(await ledger.reserve(reservation('soon', { tokens: 100, expiresAt: T0 + 60_000 })), true);
      assert.equal(await ledger.reserve(reservation('later', { tokens: 100, expiresAt: T0 + 840_000 })), true);
      assert.deepEqual(await tier(ledger), { used: 0, reserved: 200, heldUntil: T0 + 840_000 });
      await ledger.release('later');
      assert.deepEqual(await tier(ledger), { used: 0, reserved: 100, heldUntil: T0 + 60_000 });
      assert.deepEqual(await tier(ledger, T0 + 60_000), { used: 0, reserved: 0 }, 'no hold, no time');
    });

    it('a request id reserving again replaces its hold instead of stacking', async () => {
      const ledger = await make();
      assert.equal(await ledger.reserve(reservation('a', { tokens: 600 })), true);
      assert.equal(await ledger.reserve(reservation('a', { tokens: 900 })), true);
      assert.deepEqual(await tier(ledger), { used: 0, reserved: 900, heldUntil: T0 + 60_000 });
    });

    it('expired reservations count for nothing: a crashed process leaks no quota', async () => {
      const ledger = await make();
      assert.equal(await ledger.reserve(reservation('dead', { tokens: 900, expiresAt: T0 + 1000 })), true);
      assert.deepEqual(await tier(ledger, T0 + 999), { used: 0, reserved: 900, heldUntil: T0 + 1000 });
      assert.deepEqual(await tier(ledger, T0 + 1000), { used: 0, reserved: 0 });
      assert.equal(
        await ledger.reserve(reservation('next', { tokens: 900, now: T0 + 1000, expiresAt: T0 + 9000 })),
        true,
      );
    });

    it('a repeated request id is counted once, and settling drops its reservation', async () => {
      const ledger = await make();
      assert.equal(await ledger.reserve(reservation('same', { tokens: 500 })), true);
      await ledger.settle(usage('same'));
      await ledger.settle(usage('same', { inputTokens: 999 }));
      assert.deepEqual(await tier(ledger), { used: 15, reserved: 0 });
    });

    it('counts only free-tier usage at or after the window start; every window asked for is answered', async () => {
      const ledger = await make();
      const start = WINDOW[0]!.windowStart;
      await ledger.settle(usage('before', { at: start - 1 }));
      await ledger.settle(usage('at', { at: start }));
      await ledger.settle(usage('paid', { tierKey: undefined, billing: 'paid' }));
      assert.deepEqual(await tier(ledger), { used: 15, reserved: 0 });
      assert.equal(await ledger.reserve(reservation('r', { tokens: 985, windowStart: start })), true);
      const snap = await ledger.snapshot([...WINDOW, { key: 'openai:gpt', windowStart: 0 }], T0);
      assert.deepEqual(snap.usage.get('openai:gpt'), { used: 0, reserved: 0 });
      assert.equal((await ledger.snapshot([], T0)).usage.size, 0);
    });

    it('months later, every window reports the totals it did, however far back it reaches (the SQLite ledger prunes)', async () => {
      const ledger = await make();
      const DAY = 86_400_000;
      const dayStart = (at: number) => at - (at % DAY);
      // Settled in time order, as calls are: each settle may run the day's prune of what is past 90 days.
      for (const days of [200, 120, 95, 60, 31, 1])
        await ledger.settle(usage(`d${days}`, { inputTokens: days, at: T0 - days * DAY }));
      const starts = [0, dayStart(T0 - 150 * DAY), dayStart(T0 - 100 * DAY), dayStart(T0 - 31 * DAY)];
      const totals = () =>
        Promise.all(starts.map(async (windowStart) => (await tier(ledger, T0, [{ key: TIER, windowStart }]))?.used));
      const before = await totals();
      assert.deepEqual(before, [507 + 30, 307 + 25, 187 + 20, 32 + 10]);
      await ledger.settle(usage('later', { tierKey: 'other:tier', at: T0 + 30 * DAY }));
      assert.deepEqual(await totals(), before);
    });

    it('cooldowns: the later until wins per scope; only live ones are seen; every field of the scope counts', async () => {
      const ledger = await make();
      const c = (over: Partial<Cooldown>): Cooldown => ({
        provider: 'groq',
        kind: 'down',
        until: T0 + 5000,
        reason: 'r',
        ...over,
      });
      await ledger.setCooldown(c({ reason: 'long' }));
      await ledger.setCooldown(c({ kind: 'rate_limited', until: T0 + 1000, reason: 'short' })); // earlier: ignored
      await ledger.setCooldown(c({ model: 'llama', kind: 'rate_limited', until: T0 + 1000 }));
      await ledger.setCooldown(c({ model: 'llama', kind: 'exhausted', until: T0 + 2000 })); // later: wins
      await ledger.setCooldown(c({ keyFingerprint: '1a2b3c4d', kind: 'auth' }));
      await ledger.setCooldown(c({ model: 'llama', endpointFingerprint: '5e6f7a8b' }));
      await ledger.setCooldown(c({ provider: 'old', kind: 'auth', until: T0 })); // over at T0
      assert.deepEqual(
        sorted((await ledger.snapshot([], T0)).cooldowns),
        sorted([
          c({ reason: 'long' }),
          c({ model: 'llama', kind: 'exhausted', until: T0 + 2000 }),
          c({ keyFingerprint: '1a2b3c4d', kind: 'auth' }),
          c({ model: 'llama', endpointFingerprint: '5e6f7a8b' }),
        ]),
      );
      assert.deepEqual((await ledger.snapshot([], T0 + 5000)).cooldowns, []);
    });

    it('model ids holding @, : and / come back exactly as they went in', async () => {
      const ledger = await make();
      const ids = [
        'claude-sonnet-v2@20241022',
        '@cf/meta/llama-3-8b-instruct',
        'llama3:8b',
        'Qwen/Qwen2.5-7B-Instruct',
      ];
      for (const model of ids)
        await ledger.setCooldown({
          provider: 'p',
          model,
          endpointFingerprint: 'abcd1234',
          kind: 'down',
          until: T0 + 1,
          reason: '',
        });
      assert.deepEqual((await ledger.snapshot([], T0)).cooldowns.map((c) => c.model).sort(), [...ids].sort());
    });
  });
}

/**
 * What the commands ask of a quota ledger beyond the gateway's port (QuotaBackend: `quota release`), for the stores
 * the commands use: SQLite and PostgreSQL. The in-memory ledger of the gateway tests has no such commands.
 */
export function quotaBackendContract(name: string, make: () => Promise<QuotaBackend>): void {
  const OTHER = 'openai:gpt';
  const held = async (ledger: QuotaBackend) => {
    const { usage: counted } = await ledger.snapshot([...WINDOW, { key: OTHER, windowStart: T0 - 3_600_000 }], T0);
    return { [TIER]: counted.get(TIER), [OTHER]: counted.get(OTHER) };
  };

  describe(`QuotaBackend contract: ${name}`, () => {
    it("quota release: drops one tier's holds, or every hold, and never touches usage", async () => {
      const ledger = await make();
      await ledger.settle(usage('spent', { inputTokens: 40, outputTokens: 60 }));
      assert.equal(await ledger.reserve(reservation('killed-1', { tokens: 300 })), true);
      assert.equal(await ledger.reserve(reservation('killed-2', { tokens: 200 })), true);
      assert.equal(await ledger.reserve(reservation('elsewhere', { tierKey: OTHER, tokens: 50 })), true);

      assert.equal(await ledger.releaseHeld(TIER), 2);
      assert.deepEqual(await held(ledger), {
        [TIER]: { used: 100, reserved: 0 },
        [OTHER]: { used: 0, reserved: 50, heldUntil: T0 + 60_000 },
      });
      // The tier's room is back at once: the killed calls' 500 tokens no longer block a call of 900.
      assert.equal(await ledger.reserve(reservation('next', { tokens: 900 })), true);

      assert.equal(await ledger.releaseHeld(), 2);
      assert.deepEqual(await held(ledger), {
        [TIER]: { used: 100, reserved: 0 },
        [OTHER]: { used: 0, reserved: 0 },
      });
      assert.equal(await ledger.releaseHeld(), 0, 'nothing left to release');
    });
  });
}
