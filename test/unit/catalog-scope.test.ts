// Who a provider's limits count against (issue 19.3): each built-in provider that publishes it says key,
// organisation or project, from its own rate-limit page; a user's provider may say it in settings.json.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import builtIn from '../../src/catalog/builtin.json' with { type: 'json' };
import { buildCatalog, type CatalogData } from '../../src/core/catalog.ts';
import { ConfigError } from '../../src/core/errors.ts';
import { LIMIT_SCOPES } from '../../src/core/types.ts';
import { settingsCatalogLayer, validateSettings } from '../../src/store/settings.ts';

test('every built-in provider that publishes its limits names their scope and the page it was read from', () => {
  const catalog = buildCatalog(builtIn as CatalogData);
  for (const id of ['openai', 'anthropic', 'moonshot', 'groq', 'siliconflow', 'aliyun']) {
    const scope = catalog.providers.get(id)?.scope;
    assert.ok(scope && LIMIT_SCOPES.includes(scope), `${id} has scope ${scope}`);
    const entry = builtIn.providers.find((p) => p.id === id) as { $comment?: string };
    assert.match(entry.$comment ?? '', /scope: .*\(\S+\.\S+.*read \d{4}-\d{2}-\d{2}\)/, `${id} cites its source`);
  }
  assert.equal(catalog.providers.get('groq')?.scope, 'organisation');
});

test('a user provider may set its scope; a word that is not one names the field and the choices', () => {
  const settings = validateSettings({ providers: { mine: { baseUrl: 'http://127.0.0.1:9', scope: 'key' } } }, '/s');
  const catalog = buildCatalog(builtIn as CatalogData, settingsCatalogLayer(settings));
  assert.equal(catalog.providers.get('mine')?.scope, 'key');
  assert.throws(
    () => validateSettings({ providers: { mine: { scope: 'team' } } }, '/s'),
    (err: unknown) =>
      err instanceof ConfigError &&
      /providers\.mine\.scope must be one of "key", "organisation", "project"/.test(err.message),
  );
});
