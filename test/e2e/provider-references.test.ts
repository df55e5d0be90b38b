// References follow their provider: `providers remove` of a provider whose model was the default model, an alias
// target or a scenario entry left those behind, and every later `chat` exited 3 while `doctor` said settings were
// fine. Now they go with the provider (and the output says so); a model another provider still serves stays; and
// `doctor` finds dangling references and `--repair` removes them.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli, tempHome } from '../helpers/cli.ts';

const readSettings = (home: string) => JSON.parse(readFileSync(join(home, 'settings.json'), 'utf8'));

/** myllm serves fast-model and shared; backup serves shared too. Settings then name them everywhere. */
async function setUp(): Promise<string> {
  const home = tempHome();
  const add = async (args: string[]) => {
    const run = await runCli(['providers', 'add', ...args], { home, input: 'sk-local-test-key-0000' });
    assert.equal(run.code, 0, run.stderr);
  };
  await add([
    'myllm',
    '--base-url',
    'http://127.0.0.1:9/v1',
    '--model',
    'fast-model',
    '--model',
    'shared',
    '--api-key-stdin',
  ]);
  await add(['backup', '--base-url', 'http://127.0.0.1:9/v2', '--model', 'shared', '--api-key-stdin']);
  const settings = readSettings(home);
  settings.defaultModel = 'fast-model';
  settings.aliases = { quick: 'fast-model', both: 'shared', big: 'gpt-4.1' };
  settings.scenarios = { code: ['myllm:shared', 'fast-model', 'shared', 'gpt-4.1'], mine: ['fast-model'] };
  writeFileSync(join(home, 'settings.json'), JSON.stringify(settings), { mode: 0o600 });
  return home;
}

test('providers remove takes the default model, aliases and scenario entries naming its models with it (chat exited 3 after)', async () => {
  const home = await setUp();
  const removed = await runCli(['providers', 'remove', 'myllm'], { home });
  assert.equal(removed.code, 0, removed.stderr);
  assert.match(
    removed.stderr,
    /removed provider myllm and its stored key; also removed: default model fast-model, alias quick \(→ fast-model\), scenario code entry myllm:shared, scenario code entry fast-model, scenario mine \(now empty, removed\)/,
  );
  const settings = readSettings(home);
  assert.equal(settings.defaultModel, undefined);
  // `shared` is still served by backup: the alias and the plain scenario entry stay.
  assert.deepEqual(settings.aliases, { both: 'shared', big: 'gpt-4.1' });
  assert.deepEqual(settings.scenarios, { code: ['shared', 'gpt-4.1'] });

  const chat = await runCli(['chat', '--explain', 'hi'], { home });
  assert.notEqual(chat.code, 3, chat.stderr);
  assert.doesNotMatch(chat.stderr, /defaultModel/);
  const doctor = await runCli(['doctor'], { home });
  assert.equal(doctor.code, 0, doctor.stdout + doctor.stderr);
});

test('providers remove --json lists what went with the provider', async () => {
  const home = await setUp();
  const run = await runCli(['providers', 'remove', 'myllm', '--json'], { home });
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(JSON.parse(run.stdout), {
    provider: 'myllm',
    builtIn: false,
    storedKeyRemoved: true,
    alsoRemoved: [
      { kind: 'defaultModel', target: 'fast-model' },
      { kind: 'alias', alias: 'quick', target: 'fast-model' },
      { kind: 'scenario', scenario: 'code', target: 'myllm:shared' },
      { kind: 'scenario', scenario: 'code', target: 'fast-model' },
      { kind: 'scenario', scenario: 'mine', target: 'fast-model' },
    ],
  });
});

test('doctor finds a default model, an alias and a scenario entry naming no model (it said settings were fine), --repair removes them', async () => {
  const home = tempHome();
  const settings = {
    defaultModel: 'gone-model',
    aliases: { old: 'gone-model', big: 'gpt-4.1' },
    scenarios: { code: ['gone-model', 'gpt-4.1'] },
  };
  writeFileSync(join(home, 'settings.json'), JSON.stringify(settings), { mode: 0o600 });
  const chat = await runCli(['chat', 'hi'], { home });
  assert.equal(chat.code, 3, 'a stale default model is a settings problem');

  const doctor = await runCli(['doctor'], { home });
  assert.equal(doctor.code, 3, doctor.stdout + doctor.stderr);
  assert.match(
    doctor.stdout,
    /settings\.json: names models no provider serves: default model gone-model, alias old \(→ gone-model\), scenario code entry gone-model/,
  );
  const repair = await runCli(['doctor', '--repair'], { home });
  assert.equal(repair.code, 0, repair.stdout + repair.stderr);
  assert.match(
    repair.stdout,
    /removed default model gone-model, alias old \(→ gone-model\), scenario code entry gone-model/,
  );
  const after = readSettings(home);
  assert.equal(after.defaultModel, undefined);
  assert.deepEqual(after.aliases, { big: 'gpt-4.1' });
  assert.deepEqual(after.scenarios, { code: ['gpt-4.1'] });
  assert.equal((await runCli(['doctor'], { home })).code, 0);
});
