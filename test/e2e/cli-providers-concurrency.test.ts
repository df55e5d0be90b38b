// Twenty `providers add` at once, as a setup script might run them: every run succeeds and every provider and key
// is there afterwards, each key beside its own provider. (Without the config lock, twelve such runs kept 9 providers
// and 7 keys that did not match, and two crashed with "Cannot read properties of undefined (reading 'id')".)
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli, tempHome } from '../helpers/cli.ts';

const RUNS = 20;

test('20 concurrent providers add: all 20 providers and all 20 keys are kept, each run succeeds', async () => {
  const home = tempHome();
  const names = Array.from({ length: RUNS }, (_, i) => `p${String(i).padStart(2, '0')}`);
  const results = await Promise.all(
    names.map((name) =>
      runCli(
        [
          'providers',
          'add',
          name,
          '--base-url',
          `https://${name}.example/v1`,
          '--api-key-stdin',
          '--model',
          `${name}-model`,
        ],
        {
          home,
          input: `sk-${name}-concurrent-key-0000\n`,
          timeoutMs: 300_000,
        },
      ),
    ),
  );
  results.forEach((r, i) => {
    assert.equal(r.code, 0, `${names[i]}: ${r.stderr}`);
    assert.match(r.stderr, new RegExp(`added provider ${names[i]}: key ••••0000 stored`));
  });
  const settings = JSON.parse(readFileSync(join(home, 'settings.json'), 'utf8'));
  const keys = JSON.parse(readFileSync(join(home, 'keys.json'), 'utf8')).keys;
  assert.deepEqual(Object.keys(settings.providers).sort(), names);
  assert.deepEqual(Object.keys(keys).sort(), names);
  for (const name of names) assert.equal(keys[name], `sk-${name}-concurrent-key-0000`);
  assert.deepEqual(
    settings.models.map((m: { id: string }) => m.id).sort(),
    names.map((n) => `${n}-model`),
  );
});
