// The provider's own counters (issue 19.2): read from response headers as each provider documents them, and
// trusted over our count only while lower and before their reset.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { trustedRoom } from '../../src/core/provider-counters.ts';
import { providerCounters } from '../../src/providers/dialects/counters.ts';

const NOW = Date.parse('2026-12-08T03:00:00Z');
const headers = (h: Record<string, string>) => (name: string) => h[name];

test("Groq's documented headers: requests per day and tokens per minute, resets as durations", () => {
  // The example block of console.groq.com/docs/rate-limits ("Rate Limit Headers"), read 2026-12-08.
  const counters = providerCounters(
    headers({
      'x-ratelimit-limit-requests': '14400',
      'x-ratelimit-limit-tokens': '18000',
      'x-ratelimit-remaining-requests': '14370',
      'x-ratelimit-remaining-tokens': '17997',
      'x-ratelimit-reset-requests': '2m59.56s',
      'x-ratelimit-reset-tokens': '7.66s',
    }),
    NOW,
  );
  assert.deepEqual(counters, [
    { unit: 'requests', remaining: 14370, limit: 14400, resetsAt: NOW + 179_560 },
    { unit: 'tokens', remaining: 17997, limit: 18000, resetsAt: NOW + 7660 },
  ]);
});

test("Anthropic's documented headers: RFC 3339 resets, input and output tokens apart", () => {
  // Header names and formats from docs.anthropic.com/en/api/rate-limits ("Response headers"), read 2026-12-08.
  const counters = providerCounters(
    headers({
      'anthropic-ratelimit-requests-limit': '50',
      'anthropic-ratelimit-requests-remaining': '0',
      'anthropic-ratelimit-requests-reset': '2026-12-08T03:00:20Z',
      'anthropic-ratelimit-input-tokens-limit': '30000',
      'anthropic-ratelimit-input-tokens-remaining': '29000',
      'anthropic-ratelimit-input-tokens-reset': '2026-12-08T03:00:02Z',
      'anthropic-ratelimit-output-tokens-remaining': '7900',
      'anthropic-ratelimit-output-tokens-reset': 'soon',
    }),
    NOW,
  );
  assert.deepEqual(counters, [
    { unit: 'requests', remaining: 0, limit: 50, resetsAt: NOW + 20_000 },
    { unit: 'input_tokens', remaining: 29000, limit: 30000, resetsAt: NOW + 2000 },
  ]);
});

test('a counter that is not a whole number or a reset a day away is skipped or capped, not believed', () => {
  const counters = providerCounters(
    headers({
      'x-ratelimit-remaining-requests': '-3',
      'x-ratelimit-reset-requests': '1s',
      'x-ratelimit-remaining-tokens': '10',
      'x-ratelimit-reset-tokens': '999h',
    }),
    NOW,
  );
  assert.deepEqual(counters, [{ unit: 'tokens', remaining: 10, resetsAt: NOW + 24 * 3_600_000 }]);
});

test('routing trusts the lower of ours and theirs until their reset, and says whose figure it is', () => {
  const theirs = [{ unit: 'requests' as const, remaining: 3, limit: 30, resetsAt: NOW + 60_000 }];
  assert.deepEqual(trustedRoom(10, theirs, 'requests', NOW), { room: 3, from: 'provider', resetsAt: NOW + 60_000 });
  assert.deepEqual(trustedRoom(2, theirs, 'requests', NOW), { room: 2, from: 'ledger' });
  assert.deepEqual(trustedRoom(10, theirs, 'requests', NOW + 60_000), { room: 10, from: 'ledger' });
  assert.deepEqual(trustedRoom(10, theirs, 'tokens', NOW), { room: 10, from: 'ledger' });
});
