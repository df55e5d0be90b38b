// A month of use written through the ledger's own stores, as the gateway and the front ends write it: usage rows
// (settle) and request-log rows (record), on the 30 days up to the fixed test clock (2026-11-26). Its figures are
// known in closed form, so a report of it can be checked to the token and the cent.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openLedger } from '../../src/store/ledger.ts';

export const SEED_NOW = Date.UTC(2026, 10, 26, 4, 0, 0);
const DAY = 86_400_000;
export const FIRST_DAY = Date.UTC(2026, 9, 28);

/** Settings giving gpt-4.1-mini (list price $0.0004 / $0.0016 per 1K) a free tier, so free tokens have a price. */
export function seedSettings(home: string): void {
  writeFileSync(
    join(home, 'settings.json'),
    JSON.stringify({
      freeTiers: [
        { provider: 'openai', model: 'gpt-4.1-mini', tokens: 50_000_000, period: 'monthly', anchor: '2026-01-01' },
      ],
    }),
    { mode: 0o600 },
  );
}

/**
 * Day d (0..29) has: d+1 free-tier calls on openai:gpt-4.1-mini of 1000 in + 200 out (100 of the input read from
 * cache), one free-tier call on groq:llama-3.1-8b-instant of 500 + 500 (no list price), and on even days one paid
 * call on anthropic:claude-sonnet-5-5 of 2000 + 1000 (300 of it reasoning), reached after one fallback. Every fifth
 * day also has one request that failed everywhere, after two fallbacks.
 */
export async function seedMonth(home: string): Promise<void> {
  const ledger = openLedger(join(home, 'ledger.db'));
  try {
    let n = 0;
    const call = async (
      at: number,
      provider: string,
      model: string,
      billing: 'free-tier' | 'paid',
      usage: object,
      fallbacks: number,
    ) => {
      const requestId = `seed-${n++}`;
      ledger.quota.settle({
        requestId,
        provider,
        model,
        ...(billing === 'free-tier' ? { tierKey: `${provider}:${model}` } : {}),
        billing,
        estimated: false,
        outcome: 'ok',
        at,
        inputTokens: 0,
        outputTokens: 0,
        ...usage,
      });
      await ledger.activity.record({
        id: requestId,
        at,
        origin: n % 2 ? 'chat' : 'serve',
        model,
        provider,
        billing,
        inputTokens: (usage as { inputTokens: number }).inputTokens,
        outputTokens: (usage as { outputTokens: number }).outputTokens,
        ms: 400,
        outcome: 'ok',
        fallbacks: Array.from({ length: fallbacks }, () => ({
          model: 'Qwen2.5-7B-Instruct',
          provider: 'siliconflow',
          code: 'rate_limit',
        })),
      });
    };
    for (let d = 0; d < 30; d++) {
      const at = FIRST_DAY + d * DAY + 3_600_000;
      for (let i = 0; i <= d; i++)
        await call(
          at + i,
          'openai',
          'gpt-4.1-mini',
          'free-tier',
          { inputTokens: 1000, outputTokens: 200, cacheReadTokens: 100 },
          0,
        );
      await call(at, 'groq', 'llama-3.1-8b-instant', 'free-tier', { inputTokens: 500, outputTokens: 500 }, 0);
      if (d % 2 === 0)
        await call(
          at,
          'anthropic',
          'claude-sonnet-5-5',
          'paid',
          { inputTokens: 2000, outputTokens: 1000, reasoningTokens: 300 },
          1,
        );
      if (d % 5 === 0)
        await ledger.activity.record({
          id: `failed-${d}`,
          at,
          origin: 'serve',
          model: 'llama-3.1-8b-instant',
          provider: 'groq',
          inputTokens: 0,
          outputTokens: 0,
          ms: 90,
          outcome: 'failed',
          error: 'all_failed',
          fallbacks: [
            { model: 'Qwen2.5-7B-Instruct', provider: 'siliconflow', code: 'server' },
            { model: 'llama-3.1-8b-instant', provider: 'groq', code: 'server' },
          ],
        });
    }
  } finally {
    ledger.close();
  }
}
