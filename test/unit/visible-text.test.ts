import assert from 'node:assert/strict';
import { test } from 'node:test';
import { shortQuoted, visibleText } from '../../src/lib/visible-text.ts';

test('an error echoing a 100 KB value shows its first 60 characters and its length', () => {
  const long = 'a'.repeat(100_000);
  assert.equal(shortQuoted(`unknown model "${long}"`), `unknown model "${'a'.repeat(60)}…" (100,000 characters)`);
  assert.equal(shortQuoted('unknown model "kimi-k2"'), 'unknown model "kimi-k2"');
});

test('a shortened value still names its invisible characters', () => {
  const shown = visibleText(shortQuoted(`got "\u200b${'b'.repeat(80)}"`));
  assert.equal(shown, `got "<U+200B>${'b'.repeat(59)}…" (81 characters)`);
});
