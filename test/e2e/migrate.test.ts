// `llm-gateway migrate` through the real binary on the sample api-gateway installation: the report's figures, what lands
// in settings, keys and ledger, a second run that changes nothing, a dry run that writes nothing, provenance in
// `providers list`, and keys that never show.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { compact, groupThousands } from '../../src/cli/common/format.ts';
import {
  BUILT_IN_FREE_MODELS,
  BUILT_IN_MODELS,
  BUILT_IN_PROVIDERS,
  BUILT_IN_TIER_TOKENS,
  BUILT_IN_TIERS,
} from '../helpers/builtin-catalog.ts';
import { runCli, tempHome } from '../helpers/cli.ts';
import { FIXTURE, copyFixture, picture } from '../helpers/migrate.ts';

// Five days after the old migration (2026-02-15): some windows still run, the daily one has reset.
const NOW = '2026-02-20T12:00:00Z';
const env = { LLM_GATEWAY_NOW: NOW };

test('the sample: the report figures, what was imported, skipped, and the quota afterwards', async () => {
  const home = join(tempHome(), 'config');
  const run = await runCli(['migrate', '--from', FIXTURE, '--json'], { home, env });
  assert.equal(run.code, 0, run.stderr);
  const report = JSON.parse(run.stdout);

  // Before: the built-in catalog (src/catalog/builtin.json), its free models those with a free tier or free of
  // charge. After: config.json adds zhipu (+1 provider) and glm-4-flash on it (+1 model, cost 0/0: +1 free model);
  // every quota.json tier is for a built-in model with the same totals, so the free tokens stay as they were.
  const figure = (metric: string, before: number, change: number) => ({
    metric,
    before,
    after: before + change,
    change,
  });
  assert.deepEqual(report.result, [
    figure('providers', BUILT_IN_PROVIDERS.length, 1),
    figure('models', BUILT_IN_MODELS.length, 1),
    figure('free models', BUILT_IN_FREE_MODELS.length, 1),
    figure('free tokens a window', BUILT_IN_TIER_TOKENS, 0),
  ]);
  const kinds = (items: Array<{ kind: string; subject: string }>) => items.map((i) => `${i.kind} ${i.subject}`);
  assert.deepEqual(kinds(report.imported), [
    'provider zhipu',
    'model glm-4-flash',
    // Five keys: ALIYUN_API_KEY is the template's placeholder; ANTHROPIC_AUTH_TOKEN goes to anthropic.
    'key openai',
    'key anthropic',
    'key moonshot',
    'key groq',
    'key siliconflow',
    // groq: lastResetAt 2026-02-15, monthly: the window 02-15..03-15 holds NOW, so its 182,340 tokens carry.
    'usage groq:llama-3.1-8b-instant',
    // The three aliyun tiers are anchored on their lastResetAt day instead of the catalog's 2026-02-15.
    'free tier aliyun:deepseek-v3.2',
    'usage aliyun:deepseek-v3.2', // window 02-03..03-03: all 1,000,000 used
    'free tier aliyun:kimi-k2.5',
    'usage aliyun:kimi-k2.5', // window 01-30..02-28 (February has no 30th): 250,000
    'free tier aliyun:qwen3-max-preview', // 0 used: nothing to carry
    'usage moonshot:moonshot-v1-8k', // window 02-15..03-15: 4,096
    'scenario default',
    'scenario code',
    'scenario reasoning',
    'scenario long_context',
  ]);
  assert.deepEqual(kinds(report.skipped), [
    'variable PORT',
    'variable NODE_ENV',
    'key ALIYUN_API_KEY',
    // daily, last reset 2026-02-15: four resets since, so the window of NOW (02-20) starts at 0
    'usage siliconflow:Qwen2.5-7B-Instruct (Qwen/Qwen2.5-7B-Instruct)',
    // The sample's code and long_context lists name claude-sonnet-4-20250514, which Anthropic has retired.
    'scenario code',
    'scenario long_context',
  ]);
  assert.match(report.skipped[2].detail, /template placeholder/);
  assert.deepEqual(report.conflicts, []);
  assert.equal(report.changed, true);
  assert.equal(report.backup, null, 'an empty config directory has nothing to copy aside');

  // The quota afterwards, as `quota --json` reports it. Used: 182,340 + 1,000,000 + 250,000 + 4,096 = 1,436,436.
  // Remaining on active tiers: groq 817,660 + siliconflow 500,000 + moonshot 495,904 = 1,813,564 (aliyun has no
  // key, so its tiers are "no key"; deepseek's 1,000,000 of 1,000,000 leave it nothing anyway).
  const tiers = Object.fromEntries(
    report.quota.tiers.map((t: { model: string; used: number; state: string }) => [t.model, [t.used, t.state]]),
  );
  // The sample's six tiers; a built-in tier it does not name would be listed too, unused and without a key.
  const sample = {
    'llama-3.1-8b-instant': [182_340, 'active'],
    'Qwen2.5-7B-Instruct': [0, 'active'],
    'deepseek-v3.2': [1_000_000, 'no key'],
    'kimi-k2.5': [250_000, 'no key'],
    'qwen3-max-preview': [0, 'no key'],
    'moonshot-v1-8k': [4_096, 'active'],
  };
  assert.deepEqual(Object.fromEntries(Object.keys(sample).map((model) => [model, tiers[model]])), sample);
  assert.deepEqual(report.quota.totals, {
    tiers: BUILT_IN_TIERS,
    tokens: BUILT_IN_TIER_TOKENS,
    used: 1_436_436,
    remaining: 1_813_564,
    active: 3,
  });
  const quota = JSON.parse((await runCli(['quota', '--json'], { home, env })).stdout);
  assert.deepEqual(quota, report.quota, 'the report shows what quota shows from now on');
  const kimi = quota.tiers.find((t: { model: string }) => t.model === 'kimi-k2.5');
  assert.deepEqual(
    [kimi.windowStart, kimi.nextReset, kimi.expires],
    ['2026-01-30T00:00:00.000Z', '2026-02-28T00:00:00.000Z', '2026-04-30'],
  );
});

test('the text report ends with the quota table exactly as `quota` prints it', async () => {
  const home = tempHome();
  const run = await runCli(['migrate', '--from', FIXTURE], { home, env });
  assert.equal(run.code, 0, run.stderr);
  const providers = BUILT_IN_PROVIDERS.length;
  assert.match(run.stdout, new RegExp(`^providers +${providers} +${providers + 1} +\\+1$`, 'm'));
  const tokens = `${compact(BUILT_IN_TIER_TOKENS)} \\(${groupThousands(BUILT_IN_TIER_TOKENS)}\\)`;
  assert.match(run.stdout, new RegExp(`^free tokens a window +${tokens} +${tokens} +0$`, 'm'));
  assert.match(run.stdout, /^ {2}key groq: ••••4444 from GROQ_API_KEY \(line 10\)$/m);
  const quota = await runCli(['quota'], { home, env });
  assert.ok(run.stdout.includes(quota.stdout), `quota table missing from:\n${run.stdout}`);
  const totals = `${BUILT_IN_TIERS} free tiers, ${compact(BUILT_IN_TIER_TOKENS)} tokens a window`;
  assert.ok(quota.stdout.includes(`${totals}; 1,436,436 used; 1,813,564 left on 3 active tiers`), quota.stdout);
});

test('run twice: the second run changes no byte of settings, keys or ledger, makes no copy, and says so', async () => {
  const home = tempHome();
  assert.equal((await runCli(['migrate', '--from', FIXTURE], { home, env })).code, 0);
  const first = picture(home);
  assert.deepEqual(Object.keys(first), ['keys.json', 'ledger.db', 'settings.json']);
  // A day later, in the same windows: still nothing new.
  const again = await runCli(['migrate', '--from', FIXTURE, '--json'], {
    home,
    env: { LLM_GATEWAY_NOW: '2026-02-21T09:00:00Z' },
  });
  assert.equal(again.code, 0, again.stderr);
  const report = JSON.parse(again.stdout);
  assert.equal(report.changed, false);
  assert.deepEqual(report.imported, []);
  assert.equal(report.backup, null);
  assert.deepEqual(picture(home), first);
  const text = await runCli(['migrate', '--from', FIXTURE], { home, env });
  assert.match(text.stdout, /Nothing to change: .* already holds everything this source has\./);
  assert.deepEqual(picture(home), first);
});

test('--dry-run leaves every file of the config directory byte for byte, and prints the same report', async () => {
  const fresh = join(tempHome(), 'config');
  const dry = await runCli(['migrate', '--from', FIXTURE, '--dry-run', '--json'], { home: fresh, env });
  assert.equal(dry.code, 0, dry.stderr);
  assert.deepEqual(picture(fresh), {}, 'not even the directory is created');
  const real = await runCli(['migrate', '--from', FIXTURE, '--json'], { home: fresh, env });
  const strip = (r: Record<string, unknown>) => ({ ...r, dryRun: undefined });
  assert.deepEqual(strip(JSON.parse(dry.stdout)), strip(JSON.parse(real.stdout)));

  // A directory in use: a key of its own for groq, a tier changed by hand, usage in the ledger from the import.
  const home = tempHome();
  await runCli(['migrate', '--from', FIXTURE], { home, env });
  await runCli(['providers', 'add', 'groq', '--api-key-stdin'], {
    home,
    env,
    input: 'gsk_mine_0000000000000000000000',
  });
  await runCli(['quota', 'set', 'kimi-k2.5', '--provider', 'aliyun', '--tokens', '2000000'], { home, env });
  const before = picture(home);
  for (const flags of [['--dry-run'], ['--dry-run', '--force'], ['--dry-run', '--json', '--force']]) {
    const run = await runCli(['migrate', '--from', FIXTURE, ...flags], { home, env });
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(picture(home), before, flags.join(' '));
  }
});

test('a different stored key is kept and reported as a conflict; --force takes the source, after copying the files aside', async () => {
  const home = tempHome();
  await runCli(['providers', 'add', 'groq', '--api-key-stdin'], {
    home,
    env,
    input: 'gsk_mine_0000000000000000000000',
  });
  const keysBefore = readFileSync(join(home, 'keys.json'), 'utf8');
  const run = JSON.parse((await runCli(['migrate', '--from', FIXTURE, '--json'], { home, env })).stdout);
  assert.deepEqual(run.conflicts, [
    {
      kind: 'key',
      subject: 'groq',
      current: 'stored ••••0000',
      source: '••••4444 from GROQ_API_KEY (line 10)',
      file: join(FIXTURE, '.env'),
      resolution: 'kept',
    },
  ]);
  // The copy from before the import: the keys as they were.
  assert.match(run.backup, /\/before-migrate-2026-02-20T12-00-00-000Z$/);
  assert.equal(readFileSync(join(run.backup, 'keys.json'), 'utf8'), keysBefore);
  const groq = () =>
    runCli(['providers', 'list', '--json'], { home, env }).then((r) =>
      JSON.parse(r.stdout).find((p: { id: string }) => p.id === 'groq'),
    );
  assert.deepEqual([(await groq()).key, (await groq()).keySource], ['••••0000', 'stored']);

  const forced = JSON.parse((await runCli(['migrate', '--from', FIXTURE, '--json', '--force'], { home, env })).stdout);
  assert.equal(forced.conflicts[0].resolution, 'replaced');
  assert.notEqual(forced.backup, run.backup, 'a second copy never overwrites the first');
  assert.deepEqual(readdirSync(forced.backup).sort(), ['keys.json', 'ledger.db', 'settings.json']);
  assert.equal((await groq()).key, '••••4444');
});

test('providers list says "migrated from <file>" for an imported key until it is replaced', async () => {
  const home = tempHome();
  await runCli(['migrate', '--from', FIXTURE], { home, env });
  const list = async () => JSON.parse((await runCli(['providers', 'list', '--json'], { home, env })).stdout);
  const source = `migrated from ${join(FIXTURE, '.env')}`;
  const bySource = (rows: Array<{ id: string; keySource: string | null }>) =>
    Object.fromEntries(rows.map((r) => [r.id, r.keySource]));
  // The sample's .env keys five built-in providers; the others (aliyun's line is a placeholder) and zhipu have none.
  const keyed = ['openai', 'anthropic', 'moonshot', 'groq', 'siliconflow'];
  assert.deepEqual(bySource(await list()), {
    ...Object.fromEntries(BUILT_IN_PROVIDERS.map((id) => [id, keyed.includes(id) ? source : null])),
    zhipu: null,
  });
  const table = await runCli(['providers', 'list'], { home, env });
  assert.match(table.stdout, new RegExp(`^groq .* ••••4444 +${source.replace(/[./]/g, '\\$&')} `, 'm'));

  await runCli(['providers', 'add', 'groq', '--api-key-stdin'], { home, env, input: 'gsk_replaced_1111111111111111' });
  const after = bySource(await list());
  assert.equal(after.groq, 'stored');
  assert.equal(after.openai, source, 'the other imported keys keep their provenance');
  // The environment still wins over any stored key, migrated or not.
  const withEnv = JSON.parse(
    (
      await runCli(['providers', 'list', '--json'], {
        home,
        env: { ...env, OPENAI_API_KEY: 'sk-from-env-222222222222' },
      })
    ).stdout,
  );
  assert.equal(withEnv.find((p: { id: string }) => p.id === 'openai').keySource, 'env OPENAI_API_KEY');
});

test('a corrupt data/quota.json or .env line: exit 3 naming the file, line and column; nothing written', async () => {
  const cases: Array<[string, string, RegExp]> = [
    [
      'data/quota.json',
      '{\n  "groq:llama-3.1-8b-instant": { "totalQuota": 1000000, }\n}\n',
      /data\/quota\.json:2:57: not valid JSON: expected a "quoted" property name/,
    ],
    [
      '.env',
      'PORT=3000\nGROQ_API_KEY="gsk_unclosed_5555555555555555\n',
      /\.env:2:14: the double quote opened here is never closed/,
    ],
  ];
  for (const [file, text, message] of cases) {
    const source = copyFixture();
    writeFileSync(join(source, file), text);
    const home = tempHome();
    await runCli(['providers', 'add', 'openai', '--api-key-stdin'], {
      home,
      env,
      input: 'sk-mine-77777777777777777777',
    });
    const before = picture(home);
    for (const flags of [[], ['--force'], ['--json']]) {
      const run = await runCli(['migrate', '--from', source, ...flags], { home, env });
      assert.equal(run.code, 3, run.stderr);
      assert.match(run.stderr, message);
      assert.ok(run.stderr.includes(join(source, file)), 'the full path of the file');
      assert.match(run.stderr, /nothing was written/);
      assert.ok(!run.stderr.includes('gsk_unclosed'), 'the broken line is never quoted');
      if (flags[0] === '--json') {
        // A script that asked for JSON gets an object it can parse, with the same words and the exit code.
        const failure = JSON.parse(run.stdout);
        assert.equal(failure.exitCode, 3);
        assert.match(failure.error, message);
        assert.ok(!run.stdout.includes('gsk_unclosed'), 'nor in the JSON');
      } else {
        assert.equal(run.stdout, '');
      }
      assert.deepEqual(picture(home), before);
    }
  }
});

test('a directory with none of the three files, or no directory at all, is a usage error (exit 2) that writes nothing', async () => {
  const home = join(tempHome(), 'config');
  const empty = tempHome();
  for (const from of [empty, join(empty, 'missing')]) {
    const run = await runCli(['migrate', '--from', from], { home, env });
    assert.equal(run.code, 2, run.stderr);
    assert.match(
      run.stderr,
      /holds no api-gateway installation: none of \.env, data\/quota\.json, config\.json|is not a directory/,
    );
    assert.match(run.stderr, /--from DIR/);
  }
  assert.deepEqual(picture(home), {});
  const bad = await runCli(['migrate', '--from', FIXTURE, '--colour'], { home, env });
  assert.equal(bad.code, 2);
});
