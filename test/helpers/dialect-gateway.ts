// A gateway with the real adapters (real openai / @anthropic-ai/sdk clients) and the real SQLite ledger, pointed at
// the loopback fake upstream: what test/dialects*.test.ts drive provider fixtures through. One provider under test
// (its built-in id, so its dialect applies) serves m1 (a daily free tier) and m2 (free, a larger window); a backup
// provider serves b1. The clock is fixed; sleeps are recorded, not waited.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { buildCatalog } from '../../src/core/catalog.ts';
import { createGateway, type ChatResult, type GatewayEvent } from '../../src/core/gateway.ts';
import type { Adapter, ChatRequest, Cooldown, Protocol } from '../../src/core/types.ts';
import { createAnthropicAdapter } from '../../src/providers/anthropic.ts';
import { createOpenAiCompatibleAdapter } from '../../src/providers/openai-compatible.ts';
import { openLedger, type Ledger } from '../../src/store/ledger.ts';
import { sqliteQuota } from '../../src/store/quota-backend.ts';
import type { FakeUpstream } from '../fake-upstream/index.ts';

export const NOW = Date.UTC(2026, 10, 26, 12, 0, 0);
export const DAILY_RESET = Date.UTC(2026, 10, 27);

export interface DialectRun {
  result?: ChatResult;
  error?: any;
  events: GatewayEvent[];
  sleeps: number[];
  /** Upstream model ids asked, in order. */
  asked: string[];
  /** Cooldowns in the ledger, scopes without the key/endpoint tag. */
  cooldowns: Cooldown[];
  usage: Array<{
    provider: string;
    model: string;
    input_tokens: number;
    output_tokens: number;
    estimated: number;
    outcome: string;
  }>;
  ledger: Ledger;
}

export interface DialectSetup {
  provider: string;
  protocol?: Protocol;
  /** Scenario to run: `all` is m1, m2, backup b1; `solo` is m1 alone. */
  scenario?: 'all' | 'solo';
  maxTokens?: number;
  /** Extra catalog fields for the tested provider's m1 deployment. */
  m1?: Record<string, unknown>;
  request?: Partial<ChatRequest>;
}

const adapters: Record<Protocol, Adapter> = {
  openai: createOpenAiCompatibleAdapter(),
  anthropic: createAnthropicAdapter(),
};

export async function runDialect(fake: FakeUpstream, setup: DialectSetup): Promise<DialectRun> {
  const dir = mkdtempSync(join(tmpdir(), 'llm-gw-dialect-'));
  const path = join(dir, 'ledger.db');
  const ledger = openLedger(path);
  const protocol = setup.protocol ?? (setup.provider === 'anthropic' ? 'anthropic' : 'openai');
  const p = setup.provider;
  const catalog = buildCatalog({
    providers: [
      { id: p, name: p, protocol },
      { id: 'backup', name: 'Backup', protocol: 'openai' },
    ],
    models: [
      { id: 'm1', contextWindow: 32_000, deployments: [{ provider: p, price: null, ...setup.m1 }] },
      { id: 'm2', contextWindow: 64_000, deployments: [{ provider: p, price: { input: 0, output: 0 } }] },
      { id: 'b1', contextWindow: 128_000, deployments: [{ provider: 'backup', price: { input: 0, output: 0 } }] },
    ],
    freeTiers: [{ provider: p, model: 'm1', tokens: 1_000_000, period: 'daily', anchor: '2026-01-01' }],
    scenarios: { all: ['m1', 'm2', 'b1'], solo: ['m1'] },
  });
  const sleeps: number[] = [];
  let ids = 0;
  const gateway = createGateway({
    catalog,
    ledger: sqliteQuota(ledger.quota, ledger.path),
    adapterFor: async (proto) => adapters[proto],
    credentials: (spec) => ({
      apiKey: `sk-test-${spec.id}-0123456789abcdef`,
      baseUrl: spec.protocol === 'anthropic' ? `${fake.url}/v1` : fake.openaiBaseUrl,
      authStyle: 'api-key',
    }),
    now: () => NOW,
    newRequestId: () => `req-${++ids}`,
    timeouts: { connectMs: 10_000, idleMs: 10_000 },
    allowPaid: false,
    sleep: async (ms) => void sleeps.push(ms),
  });
  const before = fake.requests.length;
  const events: GatewayEvent[] = [];
  const out: Partial<DialectRun> = {};
  try {
    const chat = gateway.chat({
      messages: [{ role: 'user', content: 'hi' }],
      scenario: setup.scenario ?? 'all',
      maxTokens: setup.maxTokens,
      ...setup.request,
    });
    for (;;) {
      const next = await chat.next();
      if (next.done) {
        out.result = next.value;
        break;
      }
      events.push(next.value);
    }
  } catch (err) {
    out.error = err;
  }
  const db = new Database(path, { readonly: true });
  const usage = db.prepare('SELECT * FROM usage ORDER BY at, request_id').all() as DialectRun['usage'];
  // The key and endpoint fingerprints are left out: which provider or deployment is what these tests check.
  const rows = db.prepare('SELECT provider, model, kind, until, reason FROM cooldowns').all() as Array<
    Cooldown & { model: string }
  >;
  const cooldowns: Cooldown[] = rows.map(({ model, ...c }) => ({ ...c, ...(model ? { model } : {}) }));
  db.close();
  ledger.close();
  rmSync(dir, { recursive: true, force: true });
  return {
    ...out,
    events,
    sleeps,
    asked: fake.requests.slice(before).map((r) => r.model ?? '?'),
    cooldowns,
    usage,
    ledger,
  } as DialectRun;
}
