// Shared by the ledger tests and the worker processes they spawn: a temp dir per test, and records with defaults.
import { mkdtempSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Reservation, UsageRecord } from '../../src/core/types.ts';

export const TIER = 'groq:llama';
export const T0 = Date.UTC(2026, 10, 26, 12, 0, 0);
/** What each `record` worker settles, and what each `race` worker tries to book. */
export const RECORDS = 20;
export const RACE = { tokens: 7, limit: 100, attempts: 20 };

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'llm-gateway-ledger-'));
}

export function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

export function usage(requestId: string, over: Partial<UsageRecord> = {}): UsageRecord {
  return {
    requestId,
    provider: 'groq',
    model: 'llama',
    tierKey: TIER,
    billing: 'free-tier',
    inputTokens: 10,
    outputTokens: 5,
    estimated: false,
    outcome: 'ok',
    at: T0,
    ...over,
  };
}

/** A reservation on one token window (`limit` tokens from `windowStart`), unless `over.limits` says otherwise. */
export function reservation(
  requestId: string,
  over: Partial<Reservation> & { limit?: number; windowStart?: number } = {},
): Reservation {
  const { limit = 1000, windowStart = T0 - 3_600_000, ...rest } = over;
  const tokens = rest.tokens ?? 100;
  return {
    requestId,
    tierKey: TIER,
    tokens,
    inputTokens: tokens,
    limits: [{ unit: 'tokens', windowStart, limit }],
    expiresAt: T0 + 60_000,
    now: T0,
    ...rest,
  };
}
