// serve looks at settings.json and keys.json at most once per LLM_GATEWAY_CONFIG_RECHECK_MS (default 250 ms), not
// on every request: a busy server stats no files between looks, and a change another process made is still seen at
// the next look. The knob drives it here, so no test waits for real time.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { serverRuntimeOf } from '../../src/cli/serve/runtime.ts';
import { createRuntime } from '../../src/runtime/runtime.ts';
import { cleanEnv, tempHome } from '../helpers/cli.ts';

const PROVIDER = { providers: { mine: { protocol: 'openai', baseUrl: 'https://mine.example.com/v1' } } };

function serverWith(recheckMs: string) {
  const home = tempHome();
  const runtime = serverRuntimeOf(createRuntime({ env: cleanEnv(home, { LLM_GATEWAY_CONFIG_RECHECK_MS: recheckMs }) }));
  const addProvider = () => writeFileSync(join(home, 'settings.json'), JSON.stringify(PROVIDER), { mode: 0o600 });
  return { runtime, addProvider };
}

test('with the recheck at 0, a provider added by another process is in the very next request’s catalog', () => {
  const { runtime, addProvider } = serverWith('0');
  assert.equal(runtime.catalog().providers.has('mine'), false);
  addProvider();
  assert.equal(runtime.catalog().providers.has('mine'), true);
});

test('within the recheck interval the settings already read are used; no look at the files', () => {
  const { runtime, addProvider } = serverWith('3600000');
  assert.equal(runtime.catalog().providers.has('mine'), false);
  addProvider();
  assert.equal(runtime.catalog().providers.has('mine'), false);
});
