// Key pools (issue 19.3), as the issue asks them shown: two keys in a pool; the first key's RPM spent, the next
// request goes out on the second; the first's 401 sets aside only the first. Keys of one organisation share a window.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type KeyState, type PoolKey, keyWindow, pickKey, rejectsKey } from '../../src/core/key-pool.ts';

const RPM = 2;

/** A minute's request count per window, as the ledger keeps it, and each key's state. */
function pool(keys: PoolKey[]) {
  const used = new Map<string, number>();
  const states = new Map<string, KeyState>();
  return {
    roomOf: (window: string) => (RPM - (used.get(window) ?? 0)) / RPM,
    stateOf: (key: PoolKey): KeyState => states.get(key.label) ?? { kind: 'ready' },
    /** One request: the key routing picks, counted in its window; a 401/403 answer sets that key aside. */
    send(status = 200): PoolKey | undefined {
      const key = pickKey('groq', keys, this.roomOf, this.stateOf);
      if (!key) return undefined;
      const window = keyWindow('groq', key);
      used.set(window, (used.get(window) ?? 0) + 1);
      if (rejectsKey(status)) states.set(key.label, { kind: 'rejected', status });
      return key;
    },
  };
}

test("the first key's RPM spent, the next request uses the second; the first's 401 sets aside only it", () => {
  const first = { label: '1 ••••aaaa' };
  const second = { label: '2 ••••bbbb' };
  const p = pool([first, second]);
  assert.equal(p.send(), first);
  // Both have room; the second now has more, so it takes the next.
  assert.equal(p.send(), second);
  assert.equal(p.send(), first);
  // The first's minute is spent: the next goes to the second although the first is listed first.
  assert.equal(p.send(), second);
  assert.equal(p.send(), undefined, 'both windows spent: no key can take the call');

  const q = pool([first, second]);
  assert.equal(q.send(401), first);
  assert.equal(q.stateOf(first).kind, 'rejected');
  assert.equal(q.stateOf(second).kind, 'ready', 'the other key of the pool is not set aside');
  assert.equal(q.send(), second);
  assert.equal(q.send(), second);
});

test('keys of one organisation share one window: a second key of it adds no room', () => {
  const a = { label: '1 ••••aaaa', org: 'acme' };
  const b = { label: '2 ••••bbbb', org: 'acme' };
  const p = pool([a, b]);
  assert.ok(p.send());
  assert.ok(p.send());
  assert.equal(p.send(), undefined, "acme's minute is spent, whichever key is sent");
  assert.equal(keyWindow('groq', a), keyWindow('groq', b));
  assert.notEqual(keyWindow('groq', a), keyWindow('groq', { label: '3 ••••cccc' }));
});

test('403 also rejects the key; a 429 or 500 does not set a key aside', () => {
  assert.equal(rejectsKey(403), true);
  assert.equal(rejectsKey(429), false);
  assert.equal(rejectsKey(500), false);
});
