// keys.json holds a key pool as a list (issue 19.3); a file from before pools reads and writes back byte for byte.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from '../../src/core/errors.ts';
import { keysText, parseKeys, poolKeys } from '../../src/store/keys.ts';

const OLD = `${JSON.stringify({ keys: { groq: 'gsk_one_aaaaaaaaaaaa', anthropic: { key: 'sk-ant-x', authStyle: 'bearer' } } }, null, 2)}\n`;

test('an older keys.json reads as one key per provider and is written back unchanged', () => {
  const keys = parseKeys(OLD, '/k.json');
  assert.deepEqual(poolKeys(keys, 'groq'), [{ key: 'gsk_one_aaaaaaaaaaaa' }]);
  assert.equal(keysText(keys), OLD);
});

test('a list is a pool: first key first, each with its own organisation, and it round-trips', () => {
  const text = `${JSON.stringify(
    { keys: { groq: ['gsk_one_aaaaaaaaaaaa', { key: 'gsk_two_bbbbbbbbbbbb', org: 'acme' }] } },
    null,
    2,
  )}\n`;
  const keys = parseKeys(text, '/k.json');
  assert.equal(keys.groq?.key, 'gsk_one_aaaaaaaaaaaa', 'a provider without pool support still finds its first key');
  assert.deepEqual(poolKeys(keys, 'groq'), [
    { key: 'gsk_one_aaaaaaaaaaaa' },
    { key: 'gsk_two_bbbbbbbbbbbb', org: 'acme' },
  ]);
  assert.equal(keysText(keys), text);
});

test('an empty pool or a key entry of the wrong shape is refused without echoing any key', () => {
  for (const bad of [
    { groq: [] },
    { groq: ['gsk_secret_zzzzzzzz', 7] },
    { groq: [{ key: 'gsk_secret_zzzz', org: '' }] },
  ]) {
    assert.throws(
      () => parseKeys(JSON.stringify({ keys: bad }), '/k.json'),
      (err: unknown) => err instanceof ConfigError && /is invalid/.test(err.message) && !/secret/.test(err.message),
    );
  }
});
