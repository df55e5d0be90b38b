// Free-tier window arithmetic: when a window starts, when it resets, when a tier expires. All UTC.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  expiresAt,
  formatDay,
  isExpired,
  nextReset,
  parseDay,
  tierLapse,
  tierStatus,
  windowStart,
} from '../../src/core/quota.ts';
import { headlineRemaining, limitStates, tierLapsesAt } from '../../src/core/limits.ts';
import type { FreeTier } from '../../src/core/types.ts';

const at = (iso: string) => Date.parse(iso);
const window = (anchor: string, period: NonNullable<FreeTier['period']>, now: string) => [
  formatDay(windowStart({ anchor, period }, at(now))),
  formatDay(nextReset({ anchor, period }, at(now))),
];

describe('monthly windows', () => {
  test('the seed tiers on 2026-11-26: anchored 2026-02-15, reset on the 15th', () => {
    assert.deepEqual(window('2026-02-15', 'monthly', '2026-11-26T04:00:00Z'), ['2026-11-15', '2026-12-15']);
    assert.deepEqual(
      window('2026-02-15', 'monthly', '2026-02-15T00:00:00Z'),
      ['2026-02-15', '2026-03-15'],
      'the seed banner: resets 2026/3/15',
    );
  });

  test('the reset instant belongs to the new window', () => {
    assert.deepEqual(window('2026-02-15', 'monthly', '2026-03-15T00:00:00Z'), ['2026-03-15', '2026-04-15']);
    assert.deepEqual(window('2026-02-15', 'monthly', '2026-03-14T23:59:59.999Z'), ['2026-02-15', '2026-03-15']);
  });

  test('anchored on the 31st: short months reset on their last day, long ones on the 31st again', () => {
    assert.deepEqual(window('2026-01-31', 'monthly', '2026-02-10T00:00:00Z'), ['2026-01-31', '2026-02-28']);
    assert.deepEqual(window('2026-01-31', 'monthly', '2026-03-01T00:00:00Z'), ['2026-02-28', '2026-03-31']);
    assert.deepEqual(window('2026-01-31', 'monthly', '2026-04-15T00:00:00Z'), ['2026-03-31', '2026-04-30']);
    assert.deepEqual(window('2026-01-31', 'monthly', '2026-05-01T00:00:00Z'), ['2026-04-30', '2026-05-31']);
  });

  test('leap years: February 29 exists in 2028, not in 2026 or 2100', () => {
    assert.deepEqual(window('2028-01-30', 'monthly', '2028-02-15T00:00:00Z'), ['2028-01-30', '2028-02-29']);
    assert.deepEqual(window('2026-01-30', 'monthly', '2026-02-15T00:00:00Z'), ['2026-01-30', '2026-02-28']);
    assert.deepEqual(window('2100-01-29', 'monthly', '2100-02-15T00:00:00Z'), ['2100-01-29', '2100-02-28']);
    // A tier anchored on a leap day renews on the 29th where a month has one, else on its last day.
    assert.deepEqual(window('2028-02-29', 'monthly', '2029-02-28T12:00:00Z'), ['2029-02-28', '2029-03-29']);
    assert.deepEqual(window('2028-02-29', 'monthly', '2029-03-29T00:00:00Z'), ['2029-03-29', '2029-04-29']);
  });

  test('across the year boundary', () => {
    assert.deepEqual(window('2026-02-15', 'monthly', '2026-12-31T23:00:00Z'), ['2026-12-15', '2027-01-15']);
    assert.deepEqual(window('2026-02-15', 'monthly', '2027-01-20T00:00:00Z'), ['2027-01-15', '2027-02-15']);
  });
});

describe('daily and weekly windows', () => {
  test('daily: midnight UTC to midnight UTC', () => {
    assert.deepEqual(window('2026-02-15', 'daily', '2026-11-26T04:00:00Z'), ['2026-11-26', '2026-11-27']);
    assert.deepEqual(window('2026-02-15', 'daily', '2026-11-26T23:59:59Z'), ['2026-11-26', '2026-11-27']);
    assert.deepEqual(window('2028-02-28', 'daily', '2028-02-28T12:00:00Z'), ['2028-02-28', '2028-02-29']);
  });

  test('weekly: every 7 days from the anchor, whatever the weekday', () => {
    assert.deepEqual(window('2026-02-15', 'weekly', '2026-11-26T04:00:00Z'), ['2026-11-22', '2026-11-29']);
    assert.deepEqual(window('2026-02-15', 'weekly', '2026-02-22T00:00:00Z'), ['2026-02-22', '2026-03-01']);
  });

  test('before the anchor the windows extend backwards instead of failing', () => {
    assert.deepEqual(window('2026-02-15', 'monthly', '2026-01-01T00:00:00Z'), ['2025-12-15', '2026-01-15']);
  });
});

describe('expiry', () => {
  const tier: FreeTier = {
    provider: 'aliyun',
    model: 'deepseek-v3.2',
    tokens: 1_000_000,
    period: 'monthly',
    anchor: '2026-02-15',
    expires: '2026-03-03',
  };

  test('a tier applies up to, not including, its expires day', () => {
    assert.equal(isExpired(tier, at('2026-03-02T23:59:59.999Z')), false);
    assert.equal(isExpired(tier, at('2026-03-03T00:00:00Z')), true);
    assert.equal(expiresAt(tier), at('2026-03-03T00:00:00Z'));
    assert.equal(isExpired({ ...tier, expires: undefined }, at('2099-01-01T00:00:00Z')), false);
  });

  test('status: active, exhausted, expired', () => {
    const now = at('2026-02-20T00:00:00Z');
    const room = (used: number, reserved: number) =>
      limitStates('k', tier, new Map([['k', { used, reserved }]]), now).every((s) => s.remaining > 0);
    assert.equal(tierStatus(tier, room(10, 0), now), 'active');
    assert.equal(tierStatus(tier, room(999_000, 1_000), now), 'exhausted', 'reservations count too');
    assert.equal(tierStatus(tier, true, at('2026-03-03T00:00:00Z')), 'expired');
    const over = limitStates('k', tier, new Map([['k', { used: 1_200_000, reserved: 0 }]]), now);
    assert.equal(headlineRemaining(over), 0, 'never negative');
  });

  test('what lapses first: the reset, or the expiry when it comes sooner', () => {
    const lapse = (t: FreeTier, now: number) => tierLapse(tierLapsesAt(t, now), expiresAt(t)).at;
    assert.equal(lapse(tier, at('2026-02-20T00:00:00Z')), at('2026-03-03T00:00:00Z'));
    assert.equal(lapse({ ...tier, expires: '2026-12-31' }, at('2026-02-20T00:00:00Z')), at('2026-03-15T00:00:00Z'));
  });

  test('a tier that expires on or before its next reset ends there; otherwise it resets', () => {
    const reset = at('2026-03-15T00:00:00Z');
    assert.deepEqual(tierLapse(reset, undefined), { at: reset, ends: false });
    assert.deepEqual(tierLapse(reset, at('2026-03-03T00:00:00Z')), { at: at('2026-03-03T00:00:00Z'), ends: true });
    assert.deepEqual(tierLapse(reset, reset), { at: reset, ends: true }, 'expiring on the reset day: it never resets');
    assert.deepEqual(tierLapse(reset, at('2026-03-16T00:00:00Z')), { at: reset, ends: false });
  });
});

test('dates that are not calendar days are refused, so bad data never routes', () => {
  assert.throws(() => parseDay('2026-02-29'), /not a calendar date/);
  assert.throws(() => parseDay('2026-2-3'), /YYYY-MM-DD/);
  assert.equal(formatDay(parseDay('2028-02-29')), '2028-02-29');
});
