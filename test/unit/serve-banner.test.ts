// The start-up banner's provider lines: where each key comes from, never the key, and no "key from not needed" for a
// provider that takes none (a local Ollama or llama.cpp server added with `providers add … --no-key`).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Catalog, ProviderSpec } from '../../src/core/types.ts';
import { providerLines } from '../../src/server/banner.ts';

function catalogOf(providers: Partial<ProviderSpec>[]): Catalog {
  return {
    providers: new Map(providers.map((p) => [p.id!, { keyEnv: [], ...p } as ProviderSpec])),
    models: new Map(),
  } as unknown as Catalog;
}

test('a provider that needs no key is "no key needed" in the banner, not "key from not needed"', () => {
  const lines = providerLines(
    catalogOf([
      { id: 'local', auth: { kind: 'none' } },
      { id: 'groq', keyEnv: ['GROQ_API_KEY'] },
      { id: 'openai', keyEnv: ['OPENAI_API_KEY'] },
    ]),
    (p) => ({ local: 'not needed', groq: 'env GROQ_API_KEY' })[p.id as 'local' | 'groq'],
  );
  assert.ok(lines.includes('✓ provider ready: local (0 models, no key needed)'), lines.join('\n'));
  assert.ok(lines.includes('✓ provider ready: groq (0 models, key from env GROQ_API_KEY)'), lines.join('\n'));
  assert.match(lines.find((l) => l.includes('openai'))!, /provider without key: openai .*OPENAI_API_KEY/);
  assert.ok(lines.includes('3 providers initialised, 2 with a key'));
});

test('a provider whose variable holds an unusable key says so in the banner, not "without key; add one"', () => {
  const lines = providerLines(
    catalogOf([
      { id: 'openai', keyEnv: ['OPENAI_API_KEY'] },
      { id: 'groq', keyEnv: ['GROQ_API_KEY'] },
    ]),
    (p) => (p.id === 'groq' ? 'env GROQ_API_KEY' : undefined),
    (p) => (p.id === 'openai' ? { variable: 'OPENAI_API_KEY', problem: 'contains a space' } : undefined),
  );
  assert.ok(
    lines.includes('✗ provider key unusable: openai (0 models; OPENAI_API_KEY is invalid: it contains a space)'),
    lines.join('\n'),
  );
  assert.ok(!lines.some((l) => l.includes('without key: openai')));
});
