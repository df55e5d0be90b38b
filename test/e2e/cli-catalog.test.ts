// `models` and `quota` run as a user runs them: the built binary in a subprocess with its own config directory.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { join } from 'node:path';
import { compact } from '../../src/cli/common/format.ts';
import { openLedger } from '../../src/store/ledger.ts';
import {
  BUILT_IN_DEPLOYMENTS,
  BUILT_IN_MODELS,
  BUILT_IN_PROVIDERS,
  BUILT_IN_TIER_TOKENS,
  BUILT_IN_TIERS,
  freeModelsOn,
} from '../helpers/builtin-catalog.ts';
import { ANSI, runCli, tempHome } from '../helpers/cli.ts';

interface ModelJson {
  id: string;
  deployments: Array<{
    provider: string;
    upstreamId: string;
    price: unknown;
    hasKey: boolean;
    freeTier: null | { state: string; tokens: number };
  }>;
}

test('the built-in catalog: every model of src/catalog/builtin.json on each of its deployments, every free tier', async () => {
  const home = tempHome();
  const models = await runCli(['models', '--json'], { home });
  assert.equal(models.code, 0, models.stderr);
  assert.equal(models.stderr, '');
  const list = JSON.parse(models.stdout) as ModelJson[];
  assert.deepEqual(list.map((m) => m.id).sort(), [...BUILT_IN_MODELS].sort());
  const perProvider = (providers: string[]) =>
    Object.fromEntries(BUILT_IN_PROVIDERS.map((p) => [p, providers.filter((id) => id === p).length]));
  assert.deepEqual(
    perProvider(list.flatMap((m) => m.deployments.map((d) => d.provider))),
    perProvider(BUILT_IN_DEPLOYMENTS),
  );
  const kimi = list.find((m) => m.id === 'kimi-k2.5')!;
  assert.deepEqual(kimi.deployments.map((d) => d.provider).sort(), ['aliyun', 'moonshot']);
  const qwen = list.find((m) => m.id === 'Qwen2.5-7B-Instruct')!;
  assert.equal(qwen.deployments[0]!.upstreamId, 'Qwen/Qwen2.5-7B-Instruct');

  const quota = await runCli(['quota', '--json'], { home });
  const { tiers, totals } = JSON.parse(quota.stdout);
  assert.equal(tiers.length, BUILT_IN_TIERS);
  assert.equal(totals.tokens, BUILT_IN_TIER_TOKENS);
});

test('expired free tiers show as expired and are not free any more', async () => {
  const home = tempHome();
  const run = await runCli(['models', '--free', '--json'], { home });
  const free = (JSON.parse(run.stdout) as ModelJson[]).map((m) => m.id).sort();
  // The tests' clock says 2026-11-26: deepseek-v3.2, kimi-k2.5 and qwen3-max-preview have expired by then.
  assert.deepEqual(free, freeModelsOn('2026-11-26').sort());
  assert.ok(!free.includes('deepseek-v3.2') && !free.includes('kimi-k2.5') && free.includes('llama-3.1-8b-instant'));

  const early = await runCli(['models', '--free', '--json'], {
    home,
    env: { LLM_GATEWAY_NOW: '2026-03-02T12:00:00Z' },
  });
  const earlyIds = (JSON.parse(early.stdout) as ModelJson[]).map((m) => m.id);
  assert.ok(earlyIds.includes('deepseek-v3.2') && earlyIds.includes('kimi-k2.5'));
  assert.deepEqual(earlyIds.sort(), freeModelsOn('2026-03-02').sort());

  const quota = JSON.parse(
    (await runCli(['quota', '--json'], { home, env: { GROQ_API_KEY: 'gsk-test-canary-0001' } })).stdout,
  );
  const state = Object.fromEntries(
    quota.tiers.map((t: { model: string; provider: string; state: string }) => [`${t.provider}:${t.model}`, t.state]),
  );
  assert.equal(Object.keys(state).length, BUILT_IN_TIERS);
  const expected = {
    'groq:llama-3.1-8b-instant': 'active',
    'siliconflow:Qwen2.5-7B-Instruct': 'no key',
    'aliyun:deepseek-v3.2': 'expired',
    'aliyun:kimi-k2.5': 'expired',
    'aliyun:qwen3-max-preview': 'expired',
    'moonshot:moonshot-v1-8k': 'no key',
  };
  // Every tier is listed; these six (the ones this test knows) in the states of their key and their end date.
  assert.deepEqual(Object.fromEntries(Object.keys(expected).map((key) => [key, state[key]])), expected);
  assert.equal(quota.totals.remaining, 1_000_000, 'only the keyed, unexpired tier counts as spendable');
});

test('tables: plain text when piped, colour only when forced, stdout only', async () => {
  const home = tempHome();
  for (const args of [['models'], ['quota'], ['providers', 'list']]) {
    const piped = await runCli(args, { home });
    assert.equal(piped.code, 0, piped.stderr);
    assert.doesNotMatch(piped.stdout, ANSI, `${args.join(' ')} printed ANSI codes into a pipe`);
    assert.equal(piped.stderr, '');
    const forced = await runCli(args, { home, env: { FORCE_COLOR: '1' } });
    assert.match(forced.stdout, ANSI, 'FORCE_COLOR should colour the table');
    const noColor = await runCli(args, { home, env: { FORCE_COLOR: undefined, NO_COLOR: '1' } });
    assert.doesNotMatch(noColor.stdout, ANSI);
  }
  const quota = await runCli(['quota'], { home });
  assert.match(quota.stdout, /^MODEL +PROVIDER +LIMIT +USED \/ TOTAL +REMAINING +USAGE +RESETS +EXPIRES +STATUS$/m);
  assert.match(
    quota.stdout,
    /^llama-3\.1-8b-instant +groq +tokens\/month +0 \/ 1,000,000 +1,000,000 +░{12} +2026-12-15 +never +no key$/m,
  );
  assert.match(
    quota.stdout,
    /^Qwen2\.5-7B-Instruct +siliconflow +tpd +0 \/ 500,000 +500,000 +░{12} +2026-11-27 +never +no key$/m,
  );
  assert.match(
    quota.stdout,
    /^deepseek-v3\.2 +aliyun +tokens\/month +0 \/ 1,000,000 +0 +░{12} +— +2026-03-03 +expired$/m,
  );
  assert.match(
    quota.stdout,
    new RegExp(
      `^${BUILT_IN_TIERS} free tiers, ${compact(BUILT_IN_TIER_TOKENS)} tokens a window; 0 used; 0 left on 0 active tiers$`,
      'm',
    ),
  );

  const models = await runCli(['models'], { home, env: { GROQ_API_KEY: 'gsk-test-canary-0006' } });
  assert.match(models.stdout, /^MODEL +NAME +PROVIDER +KEY +CONTEXT +\$\/1K IN \/ OUT +CAPABILITIES +FREE TIER$/m);
  assert.match(
    models.stdout,
    /^llama-3\.1-8b-instant +Llama 3\.1 8B Instant +groq +yes +128K +free tier +text, code, tools, json +1M left this month$/m,
  );
  assert.match(
    models.stdout,
    /^Qwen2\.5-7B-Instruct +Qwen2\.5 7B Instruct +siliconflow +no +32K +free tier +text, code, tools, json +500K left today$/m,
  );
  assert.match(
    models.stdout,
    /^deepseek-v3\.2 +DeepSeek V3\.2 +aliyun +no +128K +— +text, code, reasoning, long_context, tools, json +expired 2026-03-03$/m,
  );
  assert.match(
    models.stdout,
    /^gpt-4\.1 +GPT-4\.1 +openai +no +1M +\$0\.002 \/ \$0\.008 +text, code, vision, long_context, tools, json +—$/m,
  );
});

test('piped tables are full width whatever COLUMNS says', async () => {
  const home = tempHome();
  for (const args of [['quota'], ['models']]) {
    const wide = await runCli(args, { home, env: { COLUMNS: undefined } });
    for (const COLUMNS of ['40', '60', '80']) {
      const narrow = await runCli(args, { home, env: { COLUMNS } });
      assert.equal(narrow.stdout, wide.stdout, `${args.join(' ')} with COLUMNS=${COLUMNS}`);
    }
    assert.doesNotMatch(wide.stdout, /…/);
  }
});

test('a tier that expires before its next reset shows no reset: quota RESETS —, models and --explain say it ends', async () => {
  const home = tempHome();
  const env = {
    LLM_GATEWAY_NOW: '2026-03-02T12:00:00Z',
    DASHSCOPE_API_KEY: 'sk-test-canary-0007',
    GROQ_API_KEY: 'gsk-test-canary-0008',
  };
  const quota = await runCli(['quota'], { home, env });
  assert.match(
    quota.stdout,
    /^deepseek-v3\.2 +aliyun +tokens\/month +0 \/ 1,000,000 +1,000,000 +░{12} +— +2026-03-03 +active$/m,
  );
  assert.match(
    quota.stdout,
    /^kimi-k2\.5 +aliyun +tokens\/month +0 \/ 1,000,000 +1,000,000 +░{12} +2026-03-15 +2026-04-30 +active$/m,
  );
  const json = JSON.parse((await runCli(['quota', '--json'], { home, env })).stdout);
  const deepseek = json.tiers.find((t: { model: string }) => t.model === 'deepseek-v3.2');
  assert.equal(deepseek.nextReset, '2026-03-15T00:00:00.000Z', 'the JSON keeps the arithmetic reset');

  const models = await runCli(['models', '--provider', 'aliyun'], { home, env });
  assert.match(models.stdout, /^deepseek-v3\.2 .* 1M left, ends 2026-03-03$/m);
  assert.match(models.stdout, /^kimi-k2\.5 .* 1M left this month$/m);

  const explain = await runCli(['chat', '--explain', 'hi'], { home, env });
  assert.equal(explain.code, 0, explain.stderr);
  assert.match(explain.stdout, /^ {2}\d\. deepseek-v3\.2 \(aliyun\): free tier, 1,000,000 left, ends 2026-03-03$/m);
  assert.match(
    explain.stdout,
    /^ {2}\d\. llama-3\.1-8b-instant \(groq\): free tier, 1,000,000 left, resets 2026-03-15$/m,
  );
});

test('filters: provider and capability', async () => {
  const home = tempHome();
  const groq = JSON.parse((await runCli(['models', '--provider', 'groq', '--json'], { home })).stdout) as ModelJson[];
  assert.deepEqual(
    groq.map((m) => m.id),
    ['llama-3.1-8b-instant', 'llama-3.3-70b-versatile'],
  );
  const reasoning = JSON.parse(
    (await runCli(['models', '-c', 'reasoning', '-p', 'aliyun', '--json'], { home })).stdout,
  ) as ModelJson[];
  assert.deepEqual(reasoning.map((m) => m.id).sort(), ['deepseek-v3.2', 'kimi-k2.5', 'qwen3-max-preview']);
});

test('usage errors exit 2 with the fix', async () => {
  const home = tempHome();
  const badProvider = await runCli(['models', '--provider', 'grok'], { home });
  assert.equal(badProvider.code, 2);
  assert.match(badProvider.stderr, /unknown provider "grok"/);
  assert.match(badProvider.stderr, /groq/);
  assert.equal(badProvider.stdout, '');

  const badFlag = await runCli(['models', '--frea'], { home });
  assert.equal(badFlag.code, 2);
  assert.match(badFlag.stderr, /unknown option '--frea'/);

  const unknownModel = await runCli(['quota', 'set', 'lama-3.1-8b-instant', '--tokens', '5'], { home });
  assert.equal(unknownModel.code, 2);
  assert.match(unknownModel.stderr, /unknown model "lama-3\.1-8b-instant"/);
  assert.match(unknownModel.stderr, /did you mean "llama-3\.1-8b-instant"/);
  assert.doesNotMatch(unknownModel.stderr, /\n\s+at /, 'no stack trace for an expected failure');

  const badTokens = await runCli(['quota', 'set', 'llama', '--tokens', 'lots'], { home });
  assert.equal(badTokens.code, 2);
  assert.match(badTokens.stderr, /--tokens must be a positive whole number/);

  const noCommand = await runCli([], { home });
  assert.equal(noCommand.code, 2);
});

test('quota set registers a tier, quota reset starts it over', async () => {
  const home = tempHome();
  const set = await runCli(
    [
      'quota',
      'set',
      'moonshot-v1-8k',
      '--tokens',
      '20000',
      '--period',
      'weekly',
      '--anchor',
      '2026-11-01',
      '--expires',
      '2027-01-01',
    ],
    { home },
  );
  assert.equal(set.code, 0, set.stderr);
  const quota = JSON.parse((await runCli(['quota', '--json'], { home })).stdout);
  const moonshot = quota.tiers.find((t: { model: string }) => t.model === 'moonshot-v1-8k');
  assert.equal(moonshot.tokens, 20000);
  assert.equal(moonshot.period, 'weekly');
  assert.equal(moonshot.nextReset, '2026-11-29T00:00:00.000Z');
  assert.equal(moonshot.expires, '2027-01-01');

  const ambiguous = await runCli(['quota', 'set', 'kimi-k2.5', '--tokens', '5'], { home });
  assert.equal(ambiguous.code, 2);
  assert.match(ambiguous.stderr, /--provider/);

  const reset = await runCli(['quota', 'reset', 'gpt-4.1'], { home });
  assert.equal(reset.code, 2);
  assert.match(reset.stderr, /gpt-4\.1 has no free tier/);
});

test('quota set changes only what its flags say: an expired tier stays expired, a daily one daily', async () => {
  const home = tempHome();
  const run = async (...args: string[]) => {
    const r = await runCli(['quota', 'set', ...args], { home });
    assert.equal(r.code, 0, r.stderr);
  };
  await run('Qwen2.5-7B-Instruct', '--tokens', '600000');
  await run('deepseek', '--tokens', '2000000');
  await run('aliyun:kimi-k2.5', '--expires', 'never');
  const tiers = JSON.parse((await runCli(['quota', '--json'], { home })).stdout).tiers as Array<
    Record<string, unknown>
  >;
  const pick = (model: string) => tiers.find((t) => t.model === model)!;
  assert.deepEqual([pick('Qwen2.5-7B-Instruct').tokens, pick('Qwen2.5-7B-Instruct').period], [600000, 'daily']);
  assert.deepEqual(
    [pick('deepseek-v3.2').tokens, pick('deepseek-v3.2').expires, pick('deepseek-v3.2').state],
    [2000000, '2026-03-03', 'expired'],
  );
  assert.deepEqual([pick('kimi-k2.5').expires, pick('kimi-k2.5').period], [null, 'monthly']);

  const missing = await runCli(['quota', 'set', 'gpt-4.1', '--period', 'daily'], { home });
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /has no free tier yet/);
});

test('quota reset makes used tokens and an "exhausted" mark stop counting', async () => {
  const home = tempHome();
  const now = Date.parse('2026-11-26T04:00:00Z');
  const ledger = openLedger(join(home, 'ledger.db'));
  ledger.quota.settle({
    requestId: 'r1',
    provider: 'groq',
    model: 'llama-3.1-8b-instant',
    tierKey: 'groq:llama-3.1-8b-instant',
    billing: 'free-tier',
    inputTokens: 4000,
    outputTokens: 1000,
    estimated: false,
    outcome: 'ok',
    at: now - 60_000,
  });
  ledger.quota.setCooldown({
    provider: 'moonshot',
    model: 'moonshot-v1-8k',
    kind: 'exhausted',
    until: now + 86_400_000,
    reason: 'quota',
  });
  ledger.close();
  const env = {
    GROQ_API_KEY: 'gsk-test-canary-0004',
    MOONSHOT_API_KEY: 'sk-test-canary-0005',
    LLM_GATEWAY_NOW: '2026-11-26T04:00:05Z',
  };
  const state = async () =>
    JSON.parse((await runCli(['quota', '--json'], { home, env })).stdout).tiers as Array<Record<string, unknown>>;
  const before = await state();
  assert.equal(before.find((t) => t.model === 'llama-3.1-8b-instant')!.used, 5000);
  assert.equal(before.find((t) => t.model === 'moonshot-v1-8k')!.state, 'exhausted');

  for (const model of ['llama', 'moonshot-v1-8k']) {
    const r = await runCli(['quota', 'reset', model], { home, env });
    assert.equal(r.code, 0, r.stderr);
  }
  const after = await state();
  assert.equal(after.find((t) => t.model === 'llama-3.1-8b-instant')!.used, 0);
  assert.equal(after.find((t) => t.model === 'moonshot-v1-8k')!.state, 'active');
});
