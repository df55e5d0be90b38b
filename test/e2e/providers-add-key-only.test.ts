// issue 9 hardening: a run of `providers add k` that gives only a key — what the "key invalid" and "key rejected"
// hints tell users to run — changes the key and nothing else. It used to be refused ("already exists", "pass
// --replace"), and with --replace it wiped the added provider's base URL and models while exiting 0.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli, tempHome } from '../helpers/cli.ts';

const OLD_KEY = 'sk-old-CANARY-000000001111';
const NEW_KEY = 'sk-new-CANARY-00000000abcd';

async function addK(home: string): Promise<void> {
  const add = await runCli(
    ['providers', 'add', 'k', '--base-url', 'https://k.example.com/v1', '-m', 'k-model', '--api-key-stdin'],
    { home, input: `${OLD_KEY}\n` },
  );
  assert.equal(add.code, 0, add.stderr);
}

async function listed(home: string): Promise<{ baseUrl: string; models: string[]; key: string }> {
  const list = await runCli(['providers', 'list', '--json'], { home });
  assert.equal(list.code, 0, list.stderr);
  return JSON.parse(list.stdout).find((p: { id: string }) => p.id === 'k');
}

test('re-adding only a key for an added provider keeps its base URL and models, without --replace', async () => {
  const home = tempHome();
  await addK(home);
  const again = await runCli(['providers', 'add', 'k', '--api-key-stdin'], { home, input: `${NEW_KEY}\n` });
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stderr, /key replaced for k \(provider settings unchanged\): ••••abcd/);
  assert.ok(!(again.stdout + again.stderr).includes(NEW_KEY));
  const k = await listed(home);
  assert.deepEqual(
    { url: k.baseUrl, models: k.models, key: k.key },
    { url: 'https://k.example.com/v1', models: ['k-model'], key: '••••abcd' },
  );
});

test('providers add k --replace --api-key-stdin without --base-url does not wipe the base URL and models', async () => {
  const home = tempHome();
  await addK(home);
  const replaced = await runCli(['providers', 'add', 'k', '--replace', '--api-key-stdin'], {
    home,
    input: `${NEW_KEY}\n`,
  });
  assert.equal(replaced.code, 0, replaced.stderr);
  const k = await listed(home);
  assert.deepEqual(
    { url: k.baseUrl, models: k.models, key: k.key },
    { url: 'https://k.example.com/v1', models: ['k-model'], key: '••••abcd' },
  );
  assert.doesNotMatch(readFileSync(join(home, 'settings.json'), 'utf8'), /"baseUrl": ""/);
});

test('--replace with a new protocol but no --base-url keeps the old base URL and models', async () => {
  const home = tempHome();
  await addK(home);
  const replaced = await runCli(['providers', 'add', 'k', '--replace', '--protocol', 'anthropic'], { home });
  assert.equal(replaced.code, 0, replaced.stderr);
  const k = await listed(home);
  assert.deepEqual({ url: k.baseUrl, models: k.models }, { url: 'https://k.example.com/v1', models: ['k-model'] });
});

test('re-adding only a key for a built-in provider replaces the key and says so the same way', async () => {
  const home = tempHome();
  const first = await runCli(['providers', 'add', 'groq', '--api-key-stdin'], { home, input: `${OLD_KEY}\n` });
  assert.equal(first.code, 0, first.stderr);
  const again = await runCli(['providers', 'add', 'groq', '--api-key-stdin'], { home, input: `${NEW_KEY}\n` });
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stderr, /key replaced for groq \(provider settings unchanged\): ••••abcd/);
});

test('an added provider without a base URL in settings.json is reported by doctor, not "all ok"', async () => {
  const home = tempHome();
  await addK(home);
  const path = join(home, 'settings.json');
  const settings = JSON.parse(readFileSync(path, 'utf8'));
  delete settings.providers.k.baseUrl; // what the old --replace wrote
  const { writeFileSync } = await import('node:fs');
  writeFileSync(path, JSON.stringify(settings));
  const doctor = await runCli(['doctor'], { home });
  assert.equal(doctor.code, 3, doctor.stdout + doctor.stderr);
  assert.match(doctor.stdout + doctor.stderr, /provider k has no base URL/);
});

test('the hinted `providers add k` with no key piped changes nothing and says how to give one, not "already exists"', async () => {
  const home = tempHome();
  await addK(home);
  const bare = await runCli(['providers', 'add', 'k'], { home });
  assert.equal(bare.code, 2);
  assert.match(bare.stderr, /no key given: nothing changed for k/);
  assert.match(bare.stderr, /--api-key-stdin/);
  assert.equal((await listed(home)).key, '••••1111');
});
