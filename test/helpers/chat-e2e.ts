// Shared set-up for the end-to-end tests of `llm-gateway chat`: the real binary in a subprocess, an in-process fake
// upstream per scenario, provider keys that are obvious canaries, and a record of every byte the binary printed and
// every file it left, so each test file can end by proving no key leaked anywhere.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { startFakeUpstream, type FakeUpstream, type Step } from '../fake-upstream/index.ts';
import { type BinOptions, type BinRun, cleanEnv, runBin, tempHome } from './cli.ts';

/** The tests' own certificate for localhost and 127.0.0.1 (test/fixtures/tls); trust it with NODE_EXTRA_CA_CERTS. */
export const TEST_CERT = fileURLToPath(new URL('../fixtures/tls/localhost.crt', import.meta.url));
const TEST_TLS = {
  cert: readFileSync(TEST_CERT),
  key: readFileSync(fileURLToPath(new URL('../fixtures/tls/localhost.key', import.meta.url))),
};

/** Fake keys: if one of these shows up in output or on disk, a key leaked. */
export const KEYS = {
  groq: 'gsk-CANARY-groq-7d41c9e2b8a05f36',
  siliconflow: 'sk-CANARY-siliconflow-3b9e7a1c5d2f',
  moonshot: 'sk-CANARY-moonshot-e4c2a9071b6d',
  anthropic: 'sk-ant-CANARY-apikey-58f1d3e7a2c4',
  anthropicToken: 'sk-ant-oat-CANARY-bearer-0c7e4b29d16a',
} as const;

export type KeyedProvider = 'groq' | 'siliconflow' | 'moonshot' | 'anthropic' | 'anthropicToken';

const KEY_ENV: Record<KeyedProvider, string> = {
  groq: 'GROQ_API_KEY',
  siliconflow: 'SILICONFLOW_API_KEY',
  moonshot: 'MOONSHOT_API_KEY',
  anthropic: 'ANTHROPIC_API_KEY',
  anthropicToken: 'ANTHROPIC_AUTH_TOKEN',
};

/** The tiers' upstream model ids, as the fake records them. */
export const QWEN = 'Qwen/Qwen2.5-7B-Instruct';
export const LLAMA = 'llama-3.1-8b-instant';
export const MOONSHOT = 'moonshot-v1-8k';

export type Run = BinRun;

export interface RunOptions extends Omit<BinOptions, 'env'> {
  /** Added to the scenario's environment. */
  env?: Record<string, string | undefined>;
}

export interface TierJson {
  provider: string;
  model: string;
  used: number;
  reserved: number;
  remaining: number;
  nextReset: string;
  state: string;
  limits: { name: string; used: number; reserved: number; remaining: number }[];
}

export interface UsageRow {
  provider: string;
  model: string;
  input_tokens: number;
  output_tokens: number;
  estimated: number;
  outcome: string;
  billing: string;
}

export interface Scenario {
  fake: FakeUpstream;
  home: string;
  /** The environment every run of this scenario gets (keys, base URLs, the fixed clock). */
  env: NodeJS.ProcessEnv;
  run(args: string[], options?: RunOptions): Promise<Run>;
  /** `quota --json` tiers, by `provider:model`. */
  quota(options?: RunOptions): Promise<Map<string, TierJson>>;
  /** The ledger's usage rows, read straight from the database (read-only). */
  usageRows(): UsageRow[];
  /** Model ids the fake was asked for, in order. */
  models(): (string | undefined)[];
}

/** One per test file: owns the fakes, remembers every output and home, checks them for canaries at the end. */
export class ChatE2E {
  readonly outputs: string[] = [];
  readonly homes: string[] = [];
  private readonly fakes: FakeUpstream[] = [];

  /**
   * A fresh config directory and fake upstream. `keys`: which providers get a canary key (default: the three free
   * tiers). `anthropicV1`: give ANTHROPIC_BASE_URL with a trailing /v1, as the seed configuration does.
   */
  async scenario(
    options: { keys?: KeyedProvider[]; steps?: Step[]; anthropicV1?: boolean; tls?: boolean } = {},
  ): Promise<Scenario> {
    const fake = await startFakeUpstream({ steps: options.steps, ...(options.tls ? { tls: TEST_TLS } : {}) });
    this.fakes.push(fake);
    const home = tempHome();
    this.homes.push(home);
    const keys = options.keys ?? ['siliconflow', 'groq', 'moonshot'];
    const extra: Record<string, string> = {
      GROQ_BASE_URL: fake.openaiBaseUrl,
      SILICONFLOW_BASE_URL: fake.openaiBaseUrl,
      MOONSHOT_BASE_URL: fake.openaiBaseUrl,
      ANTHROPIC_BASE_URL: options.anthropicV1 === false ? fake.anthropicBaseUrl : `${fake.anthropicBaseUrl}/v1`,
      // Never the real endpoints, whatever a test forgets to point elsewhere.
      OPENAI_BASE_URL: `${fake.url}/unused-openai/v1`,
      ALIYUN_BASE_URL: `${fake.url}/unused-aliyun/v1`,
    };
    for (const k of keys) extra[KEY_ENV[k]] = KEYS[k];
    const env = cleanEnv(home, extra);
    const run = (args: string[], runOptions: RunOptions = {}) =>
      this.spawn(args, { ...env, ...runOptions.env }, runOptions);
    return {
      fake,
      home,
      env,
      run,
      async quota(runOptions) {
        const r = await run(['quota', '--json'], runOptions);
        assert.equal(r.code, 0, r.stderr);
        const tiers = JSON.parse(r.stdout).tiers as TierJson[];
        return new Map(tiers.map((t) => [`${t.provider}:${t.model}`, t]));
      },
      usageRows: () => usageRows(home),
      models: () => fake.requests.filter((r) => r.format).map((r) => r.model),
    };
  }

  /** Runs the binary with exactly `env`, and keeps what it printed for assertNoCanaries. */
  async spawn(args: string[], env: NodeJS.ProcessEnv, options: RunOptions = {}): Promise<Run> {
    const run = await runBin(args, { ...options, env });
    this.outputs.push(run.stdout, run.stderr);
    return run;
  }

  /** Every key canary absent from every output recorded and every file left in every config directory. */
  assertNoCanaries(): void {
    const secrets = Object.values(KEYS);
    assert.ok(this.outputs.length > 0, 'no output was recorded');
    for (const text of this.outputs) {
      for (const secret of secrets) assert.ok(!text.includes(secret), `a key canary was printed:\n${text}`);
    }
    let files = 0;
    for (const home of this.homes) {
      if (!existsSync(home)) continue;
      for (const name of readdirSync(home)) {
        const bytes = readFileSync(join(home, name));
        files++;
        for (const secret of secrets) assert.equal(bytes.indexOf(secret), -1, `a key canary is in ${join(home, name)}`);
      }
    }
    assert.ok(files > 0, 'no ledger file was checked');
  }

  async close(): Promise<void> {
    await Promise.all(this.fakes.map((f) => f.close()));
  }
}

export function usageRows(home: string): UsageRow[] {
  const db = new Database(join(home, 'ledger.db'), { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare(
        'SELECT provider, model, input_tokens, output_tokens, estimated, outcome, billing FROM usage ORDER BY rowid',
      )
      .all() as UsageRow[];
  } finally {
    db.close();
  }
}

/** The messages of the last chat request the fake received. */
export function lastMessages(fake: FakeUpstream): Array<{ role: string; content: string }> {
  const last = fake.requests.filter((r) => r.format).at(-1);
  assert.ok(last, 'the fake received no chat request');
  return last.body.messages;
}

/** The closing line's token counts: `11 in + 3 out` or, estimated, `~8 in + ~1 out`. */
export function closingTokens(stderr: string): { input: number; output: number; estimated: boolean } {
  const m = /── .* · (~?)([\d,]+) in \+ ~?([\d,]+) out tokens/.exec(stderr);
  assert.ok(m, `no closing line on stderr:\n${stderr}`);
  const n = (s: string) => Number(s.replace(/,/g, ''));
  return { input: n(m[2]!), output: n(m[3]!), estimated: m[1] === '~' };
}
