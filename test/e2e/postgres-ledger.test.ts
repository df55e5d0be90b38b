// The shared ledger on a real PostgreSQL server (test/helpers/postgres.ts): what only a database shared by several
// processes and hosts has to get right — migrations applied once by whoever connects first, a newer schema refused,
// a tier booked by many processes at once never over-booked — and what a user sees: two config directories (two
// "hosts") reading one ledger, a database that cannot be reached (exit 3 naming the host, never the password), and
// `models` never connecting. The quota contract itself runs on PostgreSQL in quota-ledger-contract.test.ts.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../../src/core/errors.ts';
import { openLedger } from '../../src/store/ledger.ts';
import { openPgQuota } from '../../src/store/postgres/open.ts';
import { PG_MIGRATIONS } from '../../src/store/postgres/pg-schema.ts';
import { runCli, tempHome } from '../helpers/cli.ts';
import { RACE, T0, TIER, usage } from '../helpers/ledger-fixtures.ts';
import { freshDatabase, runSql } from '../helpers/postgres.ts';

const WORKER = fileURLToPath(new URL('../helpers/pg-ledger-worker.ts', import.meta.url));
const ALL_TIME = [{ key: TIER, windowStart: 0 }];

describe('the shared ledger on PostgreSQL', () => {
  it('processes connecting at once to a new database apply each migration exactly once, in order', async () => {
    const url = await freshDatabase();
    const ledgers = await Promise.all(Array.from({ length: 6 }, () => openPgQuota(url)));
    await Promise.all(ledgers.map((l) => l.close()));
    const rows = await runSql(url, 'SELECT version, name FROM ledger_migrations ORDER BY version');
    assert.deepEqual(
      rows,
      PG_MIGRATIONS.map((m, i) => ({ version: i + 1, name: m.name })),
    );
  });

  it('a database a newer release migrated is refused with a clear error and left exactly as it was', async () => {
    const url = await freshDatabase();
    await (await openPgQuota(url)).close();
    await runSql(url, "INSERT INTO ledger_migrations (version, name) VALUES ($1, 'm999_from_the_future')", [
      PG_MIGRATIONS.length + 1,
    ]);
    const tables = () => runSql(url, "SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'");
    const before = await tables();
    await assert.rejects(
      openPgQuota(url),
      (err: unknown) =>
        err instanceof ConfigError &&
        err.message.includes(
          `written by a newer llm-gateway (schema ${PG_MIGRATIONS.length + 1}; this version knows up to ${PG_MIGRATIONS.length})`,
        ) &&
        /upgrade llm-gateway/.test(err.hint ?? ''),
    );
    assert.deepEqual(await tables(), before);
  });

  it('6 processes, each with its own pool, booking one tier all at once never book past its limit', async () => {
    const url = await freshDatabase();
    await (await openPgQuota(url)).close();
    const workers = Array.from({ length: 6 }, (_, i) => startWorker(url, `w${i}`));
    for (const w of workers) assert.equal(await w.line(), 'ready');
    for (const w of workers) w.child.stdin!.end('go\n');
    const results = await Promise.all(workers.map(async (w) => JSON.parse(await w.line()) as { reserved: number }));
    const won = results.reduce((n, r) => n + r.reserved, 0);
    assert.equal(won, Math.floor(RACE.limit / RACE.tokens), 'every token that fits is booked, and no more');
    const ledger = await openPgQuota(url);
    // Every hold the workers took expires at the fixture's T0 + 1 minute: the latest of them is when all are free.
    assert.deepEqual((await ledger.snapshot(ALL_TIME, T0)).usage.get(TIER), {
      used: 0,
      reserved: won * RACE.tokens,
      heldUntil: T0 + 60_000,
    });
    await ledger.close();
  });

  it('two config directories on one database show the same quota, and a reset on one is seen by the other', async () => {
    const url = await freshDatabase();
    const ledger = await openPgQuota(url);
    const tier = 'groq:llama-3.1-8b-instant';
    const at = Date.parse('2026-11-26T03:00:00Z');
    await ledger.settle(usage('from-host-a', { tierKey: tier, model: 'llama-3.1-8b-instant', inputTokens: 1200, at }));
    await ledger.close();
    const [a, b] = [tempHome(), tempHome()];
    const env = { LLM_GATEWAY_DATABASE_URL: url };
    const used = async (home: string) => {
      const out = await runCli(['quota', '--json'], { home, env });
      assert.equal(out.code, 0, out.stderr);
      const tiers = JSON.parse(out.stdout).tiers as Array<{ provider: string; model: string; used: number }>;
      return tiers.find((t) => `${t.provider}:${t.model}` === tier)?.used;
    };
    assert.deepEqual([await used(a), await used(b)], [1205, 1205]);
    assert.equal(existsSync(join(a, 'ledger.db')), false, 'the quota is not read from, nor written to, a local file');
    const reset = await runCli(['quota', 'reset', 'llama-3.1-8b-instant'], { home: a, env });
    assert.equal(reset.code, 0, reset.stderr);
    assert.deepEqual([await used(a), await used(b)], [0, 0]);
  });
});

describe('moving to a shared ledger, and checking it', () => {
  it('ledger copy carries usage, resets, cooldowns and requests over once: run again, it adds nothing; quota and log then agree', async () => {
    const home = tempHome();
    const local = openLedger(join(home, 'ledger.db'));
    const tier = 'groq:llama-3.1-8b-instant';
    const at = Date.parse('2026-11-26T02:00:00Z');
    for (let i = 0; i < 5; i++)
      local.quota.settle(usage(`local-${i}`, { tierKey: tier, model: 'llama-3.1-8b-instant', inputTokens: 100, at }));
    local.quota.resetTier('siliconflow:Qwen2.5-7B-Instruct', at);
    local.quota.setCooldown({ provider: 'groq', kind: 'down', until: Date.parse('2099-01-01'), reason: 'test' });
    const asked = (id: string) => ({
      id,
      at,
      origin: 'chat' as const,
      inputTokens: 1,
      outputTokens: 2,
      ms: 3,
      outcome: 'ok' as const,
      fallbacks: [],
    });
    await local.activity.record(asked('asked-1'), asked('asked-2'), asked('asked-3'));
    local.close();
    const log = async (env: Record<string, string>) => {
      const out = await runCli(['log', '--json'], { home, env });
      assert.equal(out.code, 0, out.stderr);
      return out.stdout;
    };
    const logBefore = await log({});
    const quotaJson = async (env: Record<string, string>) => {
      const out = await runCli(['quota', '--json'], { home, env });
      assert.equal(out.code, 0, out.stderr);
      return JSON.parse(out.stdout).tiers;
    };
    const before = await quotaJson({});
    const url = await freshDatabase();
    // A password in --to is refused (ps and shell history would keep it); without it, PGPASSWORD supplies it.
    const refused = await runCli(['ledger', 'copy', '--to', url], { home });
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(refused.stderr, /--to holds a password.*\n.*PGPASSWORD/);
    assert.doesNotMatch(refused.stdout + refused.stderr, new RegExp(new URL(url).password));
    const withoutPassword = new URL(url);
    withoutPassword.password = '';
    const first = await runCli(['ledger', 'copy', '--to', withoutPassword.toString()], {
      home,
      env: { PGPASSWORD: decodeURIComponent(new URL(url).password) },
    });
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /usage rows {2}5 \(525 tokens\): 5 new, 0 already there/);
    assert.match(first.stdout, /resets {6}1\n {2}cooldowns {3}1\n {2}requests {4}3: 3 new, 0 already there/);
    // Without --to the URL comes from the environment, so the password need not be on the command line.
    const again = await runCli(['ledger', 'copy'], { home, env: { LLM_GATEWAY_DATABASE_URL: url } });
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /5 \(525 tokens\): 0 new, 5 already there/);
    assert.match(again.stdout, /requests {4}3: 0 new, 3 already there/);
    assert.doesNotMatch(first.stdout + again.stdout, new RegExp(new URL(url).password));
    assert.deepEqual(await quotaJson({ LLM_GATEWAY_DATABASE_URL: url }), before);
    assert.equal(await log({ LLM_GATEWAY_DATABASE_URL: url }), logBefore);
    const [cooldown] = await runSql(url, 'SELECT provider, kind FROM cooldowns');
    assert.deepEqual(cooldown, { provider: 'groq', kind: 'down' });
  });

  it('ledger copy with no --to, no variable and no database.url exits 2 saying how to name the database', async () => {
    const home = tempHome();
    openLedger(join(home, 'ledger.db')).close();
    const out = await runCli(['ledger', 'copy'], { home });
    assert.equal(out.code, 2, out.stderr);
    assert.match(out.stderr, /no shared ledger to copy into/);
    assert.match(out.stderr, /set LLM_GATEWAY_DATABASE_URL \(or `database\.url` in settings\.json\).*or give --to/);
  });

  it('doctor reports the shared ledger reached and its schema, or why not, without the password', async () => {
    const url = await freshDatabase();
    const home = tempHome();
    const ok = await runCli(['doctor'], { home, env: { LLM_GATEWAY_DATABASE_URL: url } });
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    assert.match(
      ok.stdout,
      new RegExp(
        `ok {7}postgres://postgres@127\\.0\\.0\\.1:\\d+/llmgw_\\w+ \\(shared quota ledger\\): reached, schema ${PG_MIGRATIONS.length}`,
      ),
    );
    const down = await runCli(['doctor'], {
      home,
      env: { LLM_GATEWAY_DATABASE_URL: 'postgres://gw:s3cr3t-pw@127.0.0.1:9/x' },
    });
    assert.equal(down.code, 3);
    assert.match(down.stdout, /broken {3}postgres:\/\/gw@127\.0\.0\.1:9\/x \(shared quota ledger\): cannot reach/);
    assert.doesNotMatch(down.stdout + down.stderr, /s3cr3t-pw/);
  });
});

describe('a shared ledger that cannot be reached', () => {
  const secret = 'hunter2-not-to-be-printed';
  const closedPort = `postgres://gw:${secret}@127.0.0.1:9/ledger`;

  it('quota exits 3 naming the host and how to fall back, never the password, and writes nothing locally', async () => {
    const home = tempHome();
    const out = await runCli(['quota'], { home, env: { LLM_GATEWAY_DATABASE_URL: closedPort } });
    assert.equal(out.code, 3);
    assert.match(
      out.stderr,
      /cannot reach the shared quota ledger at 127\.0\.0\.1:9 \(postgres:\/\/gw@127\.0\.0\.1:9\/ledger\)/,
    );
    assert.match(out.stderr, /unset LLM_GATEWAY_DATABASE_URL/);
    assert.doesNotMatch(out.stdout + out.stderr, new RegExp(secret));
    assert.equal(existsSync(join(home, 'ledger.db')), false);
  });

  it('a wrong password is a refused login, exit 3, and neither password is printed', async () => {
    const real = new URL(await freshDatabase());
    const wrong = 'wrong-password-xyz';
    real.password = wrong;
    const out = await runCli(['quota'], { home: tempHome(), env: { LLM_GATEWAY_DATABASE_URL: real.toString() } });
    assert.equal(out.code, 3);
    assert.match(out.stderr, /refused the login/);
    assert.match(out.stderr, /check the user and password in LLM_GATEWAY_DATABASE_URL/);
    assert.doesNotMatch(out.stdout + out.stderr, new RegExp(wrong));
    // The hint names where the URL came from: here --to, not the variable.
    const home = tempHome();
    openLedger(join(home, 'ledger.db')).close();
    real.password = '';
    const copy = await runCli(['ledger', 'copy', '--to', real.toString()], { home, env: { PGPASSWORD: wrong } });
    assert.equal(copy.code, 3, copy.stderr);
    assert.match(copy.stderr, /check the user and password in --to/);
    assert.doesNotMatch(copy.stdout + copy.stderr, new RegExp(wrong));
  });

  it("a missing sslrootcert file exits 3 naming the file and the URL's parameter; doctor lists it broken", async () => {
    const ca = join(tempHome(), 'no-such-ca.pem');
    const env = { LLM_GATEWAY_DATABASE_URL: `${closedPort}?sslmode=verify-full&sslrootcert=${ca}` };
    const quota = await runCli(['quota'], { home: tempHome(), env });
    assert.equal(quota.code, 3, quota.stderr);
    assert.match(
      quota.stderr,
      /cannot read .*no-such-ca\.pem \(ENOENT\): it comes from the database URL's sslrootcert/,
    );
    const doctor = await runCli(['doctor'], { home: tempHome(), env });
    assert.equal(doctor.code, 3, doctor.stderr);
    assert.match(doctor.stdout, /broken .*\(shared quota ledger\)[\s\S]*no-such-ca\.pem/);
    assert.doesNotMatch(quota.stdout + quota.stderr + doctor.stdout + doctor.stderr, new RegExp(secret));
  });

  it('a Unix-socket URL is tried (and named without its password); an unknown sslmode is refused', async () => {
    const socket = `postgres://gw:${secret}@/ledger?host=${join(tempHome(), 'no-server-here')}`;
    const out = await runCli(['quota'], { home: tempHome(), env: { LLM_GATEWAY_DATABASE_URL: socket } });
    assert.equal(out.code, 3, out.stderr);
    assert.match(out.stderr, /cannot reach the shared quota ledger at .*no-server-here:5432 \(postgres:\/\/gw@/);
    assert.doesNotMatch(out.stdout + out.stderr, new RegExp(secret));
    const withCa = await runCli(['quota'], {
      home: tempHome(),
      env: { LLM_GATEWAY_DATABASE_URL: `${socket}&sslrootcert=${join(tempHome(), 'no-ca.pem')}` },
    });
    assert.equal(withCa.code, 3, withCa.stderr);
    assert.match(withCa.stderr, /cannot read .*no-ca\.pem \(ENOENT\): it comes from the database URL's sslrootcert/);
    const bogus = await runCli(['quota'], {
      home: tempHome(),
      env: { LLM_GATEWAY_DATABASE_URL: `${closedPort}?sslmode=bogus` },
    });
    assert.equal(bogus.code, 3, bogus.stderr);
    assert.match(bogus.stderr, /sslmode is not one of disable, no-verify, prefer, require, verify-ca, verify-full/);
  });

  it('models never connects: it answers at once with the database down', async () => {
    const out = await runCli(['models', '--json'], { home: tempHome(), env: { LLM_GATEWAY_DATABASE_URL: closedPort } });
    assert.equal(out.code, 0, out.stderr);
    assert.ok(JSON.parse(out.stdout).length > 0);
  });
});

function startWorker(url: string, id: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER, 'race', url, id], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  return {
    child,
    line: async () => {
      const next = await lines.next();
      if (next.done) throw new Error(`worker ${id} ended early`);
      return next.value as string;
    },
  };
}
