// A provider's `proxy` in settings.json (issue 16.3): an http:// proxy URL or "none" reaches the provider's spec;
// anything else names the field, and never echoes a password the value may hold.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildCatalog } from '../../src/core/catalog.ts';
import { ConfigError } from '../../src/core/errors.ts';
import { settingsCatalogLayer, validateSettings } from '../../src/store/settings.ts';

const withProxy = (proxy: unknown) => ({ providers: { groq: { proxy } } });

test('an http:// proxy URL, with credentials, and "none" reach the provider as written', () => {
  for (const proxy of ['http://127.0.0.1:3128', 'http://me:secret@proxy.corp:8080', 'none']) {
    const settings = validateSettings(withProxy(proxy), '/s.json');
    const groq = buildCatalog(
      { providers: [{ id: 'groq', baseUrl: 'https://api.groq.com/openai/v1' }] },
      settingsCatalogLayer(settings),
    ).providers.get('groq');
    assert.equal(groq?.proxy, proxy);
  }
});

test('a proxy that is not an http:// URL names the field, without its value', () => {
  for (const proxy of ['socks5://me:hunter2@proxy:1080', 'proxy.corp:8080', '', 42]) {
    assert.throws(
      () => validateSettings(withProxy(proxy), '/s.json'),
      (err: unknown) =>
        err instanceof ConfigError &&
        /providers\.groq\.proxy must be/.test(err.message) &&
        !/hunter2/.test(err.message),
    );
  }
});
