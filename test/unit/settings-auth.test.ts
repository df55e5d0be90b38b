// A provider's `auth` in settings.json: the three forms are read as written, anything else names the field.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from '../../src/core/errors.ts';
import { buildCatalog } from '../../src/core/catalog.ts';
import { resolveKey } from '../../src/store/keys.ts';
import { settingsCatalogLayer, validateSettings } from '../../src/store/settings.ts';

const withAuth = (auth: unknown) => ({ providers: { local: { baseUrl: 'http://127.0.0.1:11434/v1', auth } } });

test('bearer, none and a named header are accepted as written', () => {
  for (const auth of [{ kind: 'bearer' }, { kind: 'none' }, { kind: 'header', name: 'x-api-key' }]) {
    assert.deepEqual(validateSettings(withAuth(auth), '/s.json').providers?.local?.auth, auth);
  }
});

test('a wrong auth names the field and what it takes', () => {
  const cases: [unknown, RegExp][] = [
    ['none', /providers\.local\.auth must be \{"kind": "bearer"\}/],
    [{ kind: 'basic' }, /providers\.local\.auth\.kind must be "bearer", "header" or "none"/],
    [{ kind: 'header' }, /providers\.local\.auth\.name must be a non-empty string/],
    [{ kind: 'header', name: 'x api key' }, /providers\.local\.auth\.name must be a header name/],
    [{ kind: 'none', name: 'x' }, /providers\.local\.auth\.name is not a setting/],
  ];
  for (const [auth, message] of cases) {
    assert.throws(
      () => validateSettings(withAuth(auth), '/s.json'),
      (err: unknown) => err instanceof ConfigError && message.test(err.message),
    );
  }
});

test('a provider with auth none resolves without any key, and ignores one in the environment', () => {
  const settings = validateSettings(withAuth({ kind: 'none' }), '/s.json');
  const local = buildCatalog({}, settingsCatalogLayer(settings)).providers.get('local')!;
  assert.deepEqual(resolveKey(local, { LOCAL_API_KEY: 'sk-env-key-12345' }, { local: { key: 'sk-stored-12345' } }), {
    key: '',
    source: 'not needed',
    auth: { kind: 'none' },
  });
});
