// The runtime both front ends share: files load on first use, and a long-running process (the server, an
// interactive chat) that calls refresh() sees what another process wrote since, e.g. `providers add`.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { createRuntime } from '../../src/runtime/runtime.ts';
import { cleanEnv, runCli, tempHome } from '../helpers/cli.ts';

const LOCAL_KEY = 'sk-local-CANARY-0123456789ab';
const GROQ_KEY = 'gsk-groq-CANARY-ba9876543210';
const ask = (model: string) => ({ messages: [{ role: 'user' as const, content: 'hi' }], model });

test('a runtime sees a provider and a key that `providers add` wrote after it was created, from its next refresh on', async () => {
  const home = tempHome();
  const runtime = createRuntime({ env: cleanEnv(home) });
  assert.equal(runtime.catalog().providers.has('local'), false);
  assert.equal(runtime.keyedProviders().has('groq'), false);

  const local = await runCli(
    ['providers', 'add', 'local', '--base-url', 'http://127.0.0.1:9/v1', '-m', 'm1', '--free', '--api-key-stdin'],
    { home, input: LOCAL_KEY },
  );
  assert.equal(local.code, 0, local.stderr);
  const groq = await runCli(['providers', 'add', 'groq', '--api-key-stdin'], { home, input: GROQ_KEY });
  assert.equal(groq.code, 0, groq.stderr);

  // Until it refreshes, a unit of work in progress keeps reading the state it started with.
  assert.equal(runtime.catalog().providers.has('local'), false);
  assert.equal(runtime.refresh(), true);
  assert.equal(runtime.catalog().providers.get('local')?.baseUrl, 'http://127.0.0.1:9/v1');
  assert.deepEqual([...runtime.keyedProviders()].sort(), ['groq', 'local']);
  assert.equal(runtime.keyFor(runtime.catalog().providers.get('groq')!)?.source, 'stored');
  const plan = await (await runtime.gateway({ allowPaid: false })).plan(ask('local:m1'));
  assert.deepEqual(
    plan.candidates.map((c) => `${c.provider.id}:${c.model.id}`),
    ['local:m1'],
  );
});

test('refresh: nothing changed, nothing reloaded; a key removed on disk is gone after it', async () => {
  const home = tempHome();
  await runCli(['providers', 'add', 'groq', '--api-key-stdin'], { home, input: GROQ_KEY });
  const runtime = createRuntime({ env: cleanEnv(home) });
  const catalog = runtime.catalog();
  assert.equal(runtime.keyedProviders().has('groq'), true);
  assert.equal(runtime.refresh(), false);
  assert.equal(runtime.catalog(), catalog, 'the same catalog object: nothing was read again');

  const removed = await runCli(['providers', 'remove', 'groq'], { home });
  assert.equal(removed.code, 0, removed.stderr);
  assert.equal(runtime.refresh(), true);
  assert.equal(runtime.keyedProviders().has('groq'), false);
});

test('refresh notices a settings file edited in place, and one created where there was none', () => {
  const home = tempHome();
  const runtime = createRuntime({ env: cleanEnv(home) });
  assert.equal(runtime.settings().defaultModel, undefined); // no file yet
  const settings = join(home, 'settings.json');
  writeFileSync(settings, JSON.stringify({ defaultModel: 'auto' }));
  assert.equal(runtime.refresh(), true);
  assert.equal(runtime.settings().defaultModel, 'auto');
  writeFileSync(settings, JSON.stringify({ defaultModel: 'kimi' })); // same inode: size tells
  assert.equal(runtime.refresh(), true);
  assert.equal(runtime.settings().defaultModel, 'kimi');
});

test('keys are resolved once per state, yet a key given for this run after a lookup is the one used', () => {
  const home = tempHome();
  const runtime = createRuntime({ env: cleanEnv(home, { GROQ_API_KEY: GROQ_KEY }) });
  const groq = runtime.catalog().providers.get('groq')!;
  assert.equal(runtime.keyFor(groq)?.source, 'env GROQ_API_KEY');
  runtime.runKeys.set('groq', LOCAL_KEY); // chat --api-key-stdin, read after the catalog was looked at
  assert.deepEqual([runtime.keyFor(groq)?.key, runtime.keyFor(groq)?.source], [LOCAL_KEY, 'this run']);
});
