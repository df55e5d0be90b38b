// `providers add --capability` through the real binary (issue 11 point 3): a local vision model can say it sees
// images (else an image request skips it), and a model added without the flag is assumed to take tools and JSON.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli, tempHome } from '../helpers/cli.ts';

const capabilitiesOf = async (home: string, provider: string) =>
  Object.fromEntries(
    JSON.parse((await runCli(['models', '--provider', provider, '--json'], { home })).stdout).map(
      (m: { id: string; capabilities: string[] }) => [m.id, m.capabilities],
    ),
  );

test("--capability declares the --model models' capabilities exactly (text always); without it text, tools, json are assumed", async () => {
  const home = join(tempHome(), 'config');
  const base = ['--base-url', 'http://127.0.0.1:11434/v1', '--no-key', '--free'];
  const seeing = await runCli(
    ['providers', 'add', 'ollama', ...base, '--model', 'llava', '--capability', 'vision', '--capability', 'tools'],
    { home },
  );
  assert.equal(seeing.code, 0, seeing.stderr);
  const plain = await runCli(['providers', 'add', 'lmstudio', ...base, '--model', 'qwen-local'], { home });
  assert.equal(plain.code, 0, plain.stderr);
  assert.deepEqual(await capabilitiesOf(home, 'ollama'), { llava: ['text', 'vision', 'tools'] });
  assert.deepEqual(await capabilitiesOf(home, 'lmstudio'), { 'qwen-local': ['text', 'tools', 'json'] });
});

test('--capability without --model, or with a name that is no name, exits 2 with the fix and changes nothing', async () => {
  const home = join(tempHome(), 'config');
  const lone = await runCli(
    ['providers', 'add', 'ollama', '--base-url', 'http://127.0.0.1:11434/v1', '--no-key', '--capability', 'vision'],
    { home },
  );
  assert.equal(lone.code, 2);
  assert.match(lone.stderr, /--capability describes the --model models, and none was given/);
  const bad = await runCli(
    [
      'providers',
      'add',
      'ollama',
      '--base-url',
      'http://127.0.0.1:11434/v1',
      '--no-key',
      '-m',
      'llava',
      '--capability',
      'Vision!',
    ],
    { home },
  );
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--capability takes a name like vision or tools, got "Vision!"/);
  const list = JSON.parse((await runCli(['providers', 'list', '--json'], { home })).stdout);
  assert.ok(!list.some((p: { id: string }) => p.id === 'ollama'));
});

test('--capability visoin (a typo) exits 2 listing the known names, and adds nothing', async () => {
  const home = join(tempHome(), 'config');
  const r = await runCli(
    [
      'providers',
      'add',
      'ollama',
      '--base-url',
      'http://127.0.0.1:11434/v1',
      '--no-key',
      '-m',
      'llava',
      '--capability',
      'visoin',
    ],
    { home },
  );
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /--capability visoin: not a capability llm-gateway knows/);
  assert.match(r.stderr, /text, code, reasoning, long_context, vision, tools, json/);
  const list = JSON.parse((await runCli(['providers', 'list', '--json'], { home })).stdout);
  assert.ok(!list.some((p: { id: string }) => p.id === 'ollama'));
});

test('the known capability names cover every one the built-in catalog declares', async () => {
  const { KNOWN_CAPABILITIES } = await import('../../src/core/types.ts');
  const catalog = JSON.parse(readFileSync(new URL('../../src/catalog/builtin.json', import.meta.url), 'utf8'));
  const used = new Set<string>();
  const walk = (x: unknown): void => {
    if (Array.isArray(x)) x.forEach(walk);
    else if (x && typeof x === 'object')
      for (const [k, v] of Object.entries(x))
        if (k === 'capabilities') for (const c of v as string[]) used.add(c);
        else walk(v);
  };
  walk(catalog);
  for (const name of used) assert.ok(KNOWN_CAPABILITIES.includes(name), name);
});
