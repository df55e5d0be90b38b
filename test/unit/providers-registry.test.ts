// The protocol registry: every protocol core names has an adapter, and a name without one is an error — it used
// to be sent to the OpenAI adapter without a word.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from '../../src/core/errors.ts';
import { PROTOCOL_NAMES } from '../../src/core/types.ts';
import { loadAdapter, PROTOCOLS } from '../../src/providers/registry.ts';
import { validateSettings } from '../../src/store/settings.ts';

test('every protocol core knows loads an adapter of its own', async () => {
  assert.deepEqual(Object.keys(PROTOCOLS).sort(), [...PROTOCOL_NAMES].sort());
  const adapters = await Promise.all(PROTOCOL_NAMES.map((p) => loadAdapter(p)));
  for (const adapter of adapters) assert.equal(typeof adapter.stream, 'function');
  assert.equal(new Set(adapters).size, PROTOCOL_NAMES.length, 'no protocol borrows another one’s adapter');
});

test('an unknown protocol is an error naming the known ones, not the OpenAI adapter', async () => {
  await assert.rejects(loadAdapter('gemini' as never), (err: unknown) => {
    assert.ok(err instanceof ConfigError);
    assert.match(err.message, /"gemini"/);
    assert.match(err.hint ?? '', /openai, anthropic/);
    return true;
  });
  // Names an object inherits are not protocols either.
  await assert.rejects(loadAdapter('constructor' as never), ConfigError);
});

test('settings accept exactly the registered protocols', () => {
  for (const protocol of PROTOCOL_NAMES) {
    const s = validateSettings(
      { providers: { x: { protocol, baseUrl: 'https://x.example.com/v1' } } },
      '/config/settings.json',
    );
    assert.equal(s.providers?.x?.protocol, protocol);
  }
  assert.throws(
    () => validateSettings({ providers: { x: { protocol: 'gemini' } } }, '/config/settings.json'),
    (err: unknown) =>
      err instanceof ConfigError && /providers\.x\.protocol must be one of "openai", "anthropic"/.test(err.message),
  );
});
