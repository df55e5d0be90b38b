// `chat --schema` given something that is not a sensible schema, end to end with the built binary: a schema nested
// hundreds of levels deep (Ajv died on its stack: "Maximum call stack size exceeded"), a device or pipe that never
// ends (/dev/zero was read to ~512 MiB: stat says size 0), an inline array, and a file whose schema is invalid.
// Each exits 2 with a message naming what, before any call. The FIFO case holds for -a too (the same open).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ChatE2E } from '../helpers/chat-e2e.ts';

const e2e = new ChatE2E();
after(() => e2e.close());
const dir = mkdtempSync(join(tmpdir(), 'llmgw-schema-hostile-'));

function nested(levels: number): Record<string, unknown> {
  let schema: Record<string, unknown> = { type: 'string' };
  for (let i = 0; i < levels; i++) schema = { type: 'object', properties: { a: schema } };
  return schema;
}

test('a --schema nested 500 levels deep exits 2 saying how deep, not "Maximum call stack size exceeded"', async () => {
  const s = await e2e.scenario({ keys: ['groq'] });
  const file = join(dir, 'deep.json');
  writeFileSync(file, JSON.stringify(nested(500)));
  for (const value of [file, JSON.stringify(nested(500))]) {
    const r = await s.run(['chat', '--schema', value, 'who?']);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /--schema.*: nested more than 64 levels deep/);
    assert.doesNotMatch(r.stderr, /call stack/);
  }
  assert.equal(s.fake.requests.length, 0);
});

test('--schema /dev/zero stops at 1 MiB with a clear message instead of reading without end', async () => {
  const s = await e2e.scenario({ keys: ['groq'] });
  const r = await s.run(['chat', '--schema', '/dev/zero', 'who?']);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /--schema \/dev\/zero: larger than 1 MiB/);
  assert.equal(s.fake.requests.length, 0);
});

test("--schema '[1,2]' is read as inline JSON (an array, not a schema), not as a missing file", async () => {
  const s = await e2e.scenario({ keys: ['groq'] });
  const r = await s.run(['chat', '--schema', '[1,2]', 'who?']);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /--schema: a JSON Schema is a JSON object, got an array/);
  assert.doesNotMatch(r.stderr, /no such file/);
});

test('a schema file that is not valid JSON Schema: the message names the file', async () => {
  const s = await e2e.scenario({ keys: ['groq'] });
  const file = join(dir, 'typo.json');
  writeFileSync(file, '{"type": "strng"}');
  const r = await s.run(['chat', '--schema', file, 'who?']);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /--schema .*typo\.json: not a valid JSON Schema/);
});

/** The open wait, shortened from 5 s (a test-only knob in src/cli/chat/open-within.ts). */
const QUICK_OPEN = { LLM_GATEWAY_TEST_OPEN_WAIT_MS: '50' };

test('--schema naming a FIFO nobody writes to exits 2 once the open wait passes instead of hanging', async () => {
  const s = await e2e.scenario({ keys: ['groq'] });
  const fifo = join(dir, 'schema.fifo');
  execFileSync('mkfifo', [fifo]);
  const r = await s.run(['chat', '--schema', fifo, 'who?'], { env: QUICK_OPEN });
  assert.equal(r.code, 2, r.stderr);
  assert.match(
    r.stderr,
    /--schema .*schema\.fifo: still waiting to open it after 0\.05 s \(a named pipe nobody writes to\?\)/,
  );
  assert.equal(s.fake.requests.length, 0);
});

test('-a naming a FIFO nobody writes to exits 2 once the open wait passes instead of hanging', async () => {
  const s = await e2e.scenario({ keys: ['groq'] });
  const fifo = join(dir, 'attach.fifo');
  execFileSync('mkfifo', [fifo]);
  const r = await s.run(['chat', '-a', fifo, 'what is in it?'], { env: QUICK_OPEN });
  assert.equal(r.code, 2, r.stderr);
  assert.match(
    r.stderr,
    /--attach .*attach\.fifo: still waiting to open it after 0\.05 s \(a named pipe nobody writes to\?\)/,
  );
  assert.equal(s.fake.requests.length, 0);
});
