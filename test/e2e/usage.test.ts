// `llm-gateway usage` on a seeded month (test/helpers/usage-seed.ts, figures in closed form there): the totals, the
// costs and what the free tiers saved to the token and the cent; the chart and table on a real terminal at 80 and 120
// columns; JSON and CSV for scripts; bad flags; and a ledger from before the request log, read without a change.
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { MIGRATIONS } from '../../src/store/ledger-schema.ts';
import { ANSI, cleanEnv, runCli, tempHome } from '../helpers/cli.ts';
import { ptyBin } from '../helpers/terminal.ts';
import { displayWidth } from '../helpers/display-width.ts';
import { seedMonth, seedSettings } from '../helpers/usage-seed.ts';

async function seededHome(): Promise<string> {
  const home = tempHome();
  seedSettings(home);
  await seedMonth(home);
  return home;
}

const home = await seededHome();

test('usage --json: a month of calls summed to the token, priced at list price, with what the free tier saved', async () => {
  const r = await runCli(['usage', '--since', '30d', '--json'], { home });
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  assert.equal(report.since, '2026-10-28');
  assert.equal(report.until, '2026-11-26');
  assert.equal(report.days.length, 30);
  assert.equal(report.groups.length, 30);
  const t = report.total;
  assert.equal(t.calls, 465 + 30 + 15);
  assert.equal(t.inputTokens, 465_000 + 15_000 + 30_000);
  assert.equal(t.outputTokens, 93_000 + 15_000 + 15_000);
  assert.equal(t.cacheReadTokens, 46_500);
  assert.equal(t.reasoningTokens, 4_500);
  // 15 answered after a fallback; 6 failed on their second candidate, one fallback each (the last is the failure).
  assert.equal(t.fallbacks, 15 + 6 * 1);
  assert.equal(t.failures, 6);
  assert.equal(t.freeTierTokens, 465_000 + 93_000 + 30_000);
  assert.equal(t.paidTokens, 45_000);
  // gpt-4.1-mini at $0.0004 / $0.0016 per 1K: 465K in, 93K out; claude-sonnet-5-5 at $0.002 / $0.010: 30K in, 15K out.
  assert.equal(t.saved, 0.3348);
  assert.equal(t.paidCost, 0.21);
  assert.equal(t.listCost, 0.5448);
  assert.deepEqual(report.unpriced, ['groq:llama-3.1-8b-instant']);
  // The last day: 30 free-tier calls and llama's, no paid call (odd day); the chart's bar says the same.
  const last = report.days.at(-1);
  assert.deepEqual(last, { day: '2026-11-26', free: 30 * 1200 + 1000, paid: 0 });
  assert.deepEqual(report.days[0], { day: '2026-10-28', free: 1200 + 1000, paid: 3000 });
});

test('usage --by model / --provider / --model: one row per model, filtered by provider or model (alias too)', async () => {
  const byModel = JSON.parse((await runCli(['usage', '--by', 'model', '--json'], { home })).stdout);
  assert.deepEqual(
    byModel.groups.map((g: { key: string; calls: number }) => [g.key, g.calls]),
    [
      ['gpt-4.1-mini', 465],
      ['claude-sonnet-5-5', 15],
      ['llama-3.1-8b-instant', 30],
    ],
  );
  const anthropic = JSON.parse((await runCli(['usage', '--provider', 'anthropic', '--json'], { home })).stdout);
  assert.equal(anthropic.total.calls, 15);
  assert.equal(anthropic.total.saved, 0);
  const sonnet = JSON.parse((await runCli(['usage', '-m', 'sonnet', '--by', 'provider', '--json'], { home })).stdout);
  assert.deepEqual(
    sonnet.groups.map((g: { key: string }) => g.key),
    ['anthropic'],
  );
  const week = JSON.parse((await runCli(['usage', '--since', '7d', '--json'], { home })).stdout);
  assert.equal(week.days.length, 7);
  assert.equal(week.since, '2026-11-20');
  const span = JSON.parse(
    (await runCli(['usage', '--since', '2026-11-01', '--until', '2026-11-02', '--json'], { home })).stdout,
  );
  assert.deepEqual(
    span.groups.map((g: { key: string }) => g.key),
    ['2026-11-01', '2026-11-02'],
  );
});

test('usage --csv: a header and one line per day, figures as in the JSON', async () => {
  const r = await runCli(['usage', '--csv', '--by', 'provider'], { home });
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  assert.equal(
    lines[0],
    'provider,calls,inputTokens,outputTokens,cacheReadTokens,cacheWriteTokens,reasoningTokens,fallbacks,failures,freeTierTokens,freeTokens,paidTokens,listCost,paidCost,saved',
  );
  assert.equal(lines.length, 4);
  assert.ok(lines.includes('openai,465,465000,93000,46500,0,0,0,0,558000,0,0,0.3348,0,0.3348'), r.stdout);
});

test('usage piped: chart, table and totals as plain text, no colour codes', async () => {
  const r = await runCli(['usage'], { home });
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stdout, ANSI);
  assert.match(r.stdout, /^usage 2026-10-28 to 2026-11-26 \(30 days\)$/m);
  assert.match(r.stdout, /tokens per day {2}█ free {2}▒ paid/);
  assert.match(r.stdout, /^ *50K ┤/m); // the scale's top: 37,000 tokens on the busiest day, rounded up to 50K
  assert.match(r.stdout, /^total +510 +510,000 +123,000 .*\$0\.21 +\$0\.33$/m);
  assert.match(r.stdout, /free tiers saved \$0\.33 \(list price of 588,000 free-tier tokens\)/);
  assert.match(r.stdout, /no list price known for groq:llama-3\.1-8b-instant; left out of the costs/);
});

/** `usage` on a pseudo-terminal `cols` wide: its lines as shown (colour codes removed) and as sent. */
function onTerminal(cols: number, args: string[]): Promise<{ code: number; lines: string[]; raw: string }> {
  const { CI: _ci, ...env } = cleanEnv(home, { TERM: 'xterm-256color' });
  const term = ptyBin([...args], env, { cols, rows: 80 });
  let raw = '';
  term.onData((d) => (raw += d));
  return new Promise((resolve) =>
    term.onExit(({ exitCode }) =>
      resolve({
        code: exitCode,
        raw,
        lines: raw
          .replace(/\u001b\[[0-9;]*m/g, '')
          .split(/\r?\n/)
          .filter((l) => l.trim()),
      }),
    ),
  );
}

for (const cols of [80, 120]) {
  test(`usage --since 30d on a ${cols}-column terminal: every line fits, the chart has its scale and legend, in colour`, async () => {
    const r = await onTerminal(cols, ['usage', '--since', '30d']);
    assert.equal(r.code, 0, r.lines.join('\n'));
    for (const line of r.lines) assert.ok(displayWidth(line) <= cols, `wider than ${cols}: "${line}"`);
    assert.match(r.raw, ANSI);
    const text = r.lines.join('\n');
    assert.match(text, /^ *50K ┤/m);
    assert.match(text, /^ *0 └─+$/m);
    assert.match(text, /^ +10-28 +11-26$/m);
    assert.match(text, /^DAY +CALLS +INPUT +OUTPUT .*PAID +SAVED$/m);
    assert.match(text, /^2026-11-26 +31 /m);
    if (cols >= 120) assert.match(text, /CACHE READ/);
    process.stdout.write(`# usage --since 30d at ${cols} columns:\n${r.lines.map((l) => `# ${l}`).join('\n')}\n`);
  });
}

test('usage: bad flags exit 2 with the fix; no ledger yet is an empty report, and none is created', async () => {
  for (const [args, message] of [
    [['--since', '0d'], /--since must count at least one day/],
    [['--since', 'yesterday'], /--since must be a number of days \(7d\) or a day \(YYYY-MM-DD\), got "yesterday"/],
    [['--until', '2026-02-30'], /--until must be/],
    [['--since', '2026-11-20', '--until', '2026-11-01'], /--since 2026-11-20 is after --until 2026-11-01/],
    [['--by', 'week'], /argument 'week' is invalid/],
    [['--json', '--csv'], /either --json or --csv/],
  ] as const) {
    const r = await runCli(['usage', ...args], { home });
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.doesNotMatch(r.stderr, /at .*\.js:\d+/); // no stack trace
  }
  const empty = tempHome();
  const r = await runCli(['usage', '--json'], { home: empty });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).total.calls, 0);
  assert.throws(() => readFileSync(join(empty, 'ledger.db')));
});

test('a ledger from before the request log (schema 7) migrates with its rows untouched and reports them', async () => {
  const old = tempHome();
  const path = join(old, 'ledger.db');
  const db = new Database(path);
  for (const m of MIGRATIONS.slice(0, 7)) db.exec(m.sql);
  db.pragma('user_version = 7');
  db.prepare(
    `INSERT INTO usage (request_id, provider, model, tier_key, billing, input_tokens, output_tokens, estimated, outcome, at)
     VALUES ('old-1', 'anthropic', 'claude-sonnet-5-5', NULL, 'paid', 1000, 100, 0, 'ok', ?)`,
  ).run(Date.UTC(2026, 10, 20, 9));
  db.exec(`INSERT INTO usage_daily SELECT coalesce(tier_key, ''), at - at % 86400000, provider, model, billing, outcome,
    count(*), sum(estimated), sum(input_tokens), sum(output_tokens), NULL, NULL, NULL FROM usage GROUP BY 1, 2, 3, 4, 5, 6`);
  db.close();
  copyFileSync(path, join(old, 'before.db'));
  const r = await runCli(['usage', '--json'], { home: old });
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  assert.equal(report.total.calls, 1);
  assert.equal(report.total.paidCost, 0.003);
  assert.equal(report.total.failures, 0);
  const after = new Database(path, { readonly: true });
  assert.equal(after.pragma('user_version', { simple: true }), MIGRATIONS.length);
  assert.deepEqual(after.prepare('SELECT request_id, input_tokens, output_tokens FROM usage').all(), [
    { request_id: 'old-1', input_tokens: 1000, output_tokens: 100 },
  ]);
  after.close();
});
