// Provider ids are looked up as data, never as inherited object properties (issue 9.9 b): a provider named
// `constructor` was found in every settings object through Object.prototype — "provider constructor already
// exists" as soon as any other provider was there — and could not be added, keyed or used.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { BUILT_IN_PROVIDERS } from '../helpers/builtin-catalog.ts';
import { ChatE2E } from '../helpers/chat-e2e.ts';

const e2e = new ChatE2E();
after(() => e2e.close());

const KEY = 'sk-CANARY-constructor-9f8e7d6c5b4a';

test('a provider named constructor read Object.prototype: it is added, keyed, listed, used and removed like any other', async () => {
  const s = await e2e.scenario({ keys: [], steps: [{ text: ['from constructor'] }] });
  const first = await s.run([
    'providers',
    'add',
    'local',
    '--base-url',
    s.fake.openaiBaseUrl,
    '--no-key',
    '-m',
    'local-model',
  ]);
  assert.equal(first.code, 0, first.stderr);
  // The only plain id (lower case) that Object.prototype also has.
  for (const [name, answer] of [['constructor', 'from constructor']] as const) {
    const add = await s.run(
      [
        'providers',
        'add',
        name,
        '--base-url',
        s.fake.openaiBaseUrl,
        '--api-key-stdin',
        '--free',
        '-m',
        `${name}-model`,
      ],
      { input: KEY },
    );
    assert.equal(add.code, 0, `${name}: ${add.stderr}`);
    assert.match(add.stderr, new RegExp(`added provider ${name}: key ••••5b4a stored`));
    const list = JSON.parse((await s.run(['providers', 'list', '--json'])).stdout) as Array<{
      id: string;
      key: string | null;
    }>;
    assert.equal(list.find((p) => p.id === name)?.key, '••••5b4a');
    const chat = await s.run(['chat', '-m', `${name}:${name}-model`, 'hi']);
    assert.equal(chat.code, 0, chat.stderr);
    assert.match(chat.stdout, new RegExp(answer));
    assert.equal(s.fake.requests.at(-1)?.authorization, `Bearer ${KEY}`);
  }
  const remove = await s.run(['providers', 'remove', 'constructor']);
  assert.equal(remove.code, 0, remove.stderr);
  const list = JSON.parse((await s.run(['providers', 'list', '--json'])).stdout) as Array<{ id: string }>;
  assert.deepEqual(
    list.filter((p) => !BUILT_IN_PROVIDERS.includes(p.id)).map((p) => p.id),
    ['local'],
  );
});

test('__proto__ and other names that are not plain ids are refused at providers add', async () => {
  const s = await e2e.scenario({ keys: [] });
  for (const name of ['__proto__', 'Constructor', 'hasOwnProperty']) {
    const add = await s.run(['providers', 'add', name, '--base-url', s.fake.openaiBaseUrl, '--no-key']);
    assert.equal(add.code, 2, `${name}: ${add.stderr}`);
    assert.match(add.stderr, /is not a usable provider name/);
  }
});
