import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from '../../src/core/errors.ts';
import { parseJsonFile } from '../../src/store/files.ts';

const messageOf = (text: string, secret = false): string => {
  try {
    parseJsonFile('config/settings.json', text, 'settings file', secret);
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    return err.message;
  }
  assert.fail('parsed');
};

test('a broken settings.json is reported by line and column, with the character there named, not printed', () => {
  const cut = messageOf('{\n  "providers": {\n    "groq": "\n  }\n}\n');
  assert.match(cut, /line 3, column 14: a line break or control character inside a string \(found a line break\)$/);
  assert.ok(!cut.includes('\n'), 'a raw line break in the message');
  assert.match(messageOf('{"a": 1,'), /line 1, column 9: the file ends too early \(found the end of the file\)$/);
  assert.match(messageOf('{"a": \u200b1}'), /line 1, column 7: expected a value \(found '<U\+200B>'\)$/);
});

test('a file holding keys gets only the place, never a character of it', () => {
  assert.match(messageOf('{"k": sk-live-123}', true), /is not valid JSON: line 1, column 7$/);
});
