// Keys through a migration: a canary key appears in no output, no error and no --json, whatever the flags; the
// key store and its copy stay private; keys.json files written before provenance existed still read.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { keysText, loadKeys, resolveKey } from '../../src/store/keys.ts';
import type { ProviderSpec } from '../../src/core/types.ts';
import { startFakeUpstream } from '../fake-upstream/index.ts';
import { runCli, tempHome } from '../helpers/cli.ts';
import { copyFixture } from '../helpers/migrate.ts';

const CANARY = 'sk-CANARY-openai-5e1f0a9b8c7d6e52';
const TOKEN_CANARY = 'sk-ant-CANARY-token-0d9c8b7a6f5e4d31';
const STORED_CANARY = 'sk-CANARY-stored-a1b2c3d4e5f60718';
const env = { LLM_GATEWAY_NOW: '2026-02-20T12:00:00Z' };
const secrets = [CANARY, TOKEN_CANARY, STORED_CANARY];

function assertClean(what: string, text: string): void {
  for (const secret of secrets) assert.ok(!text.includes(secret), `${what} shows a key`);
}

test('a key canary appears in no report, no --json, no conflict line and no error', async () => {
  const source = copyFixture();
  writeFileSync(join(source, '.env'), `OPENAI_API_KEY=${CANARY}\nexport ANTHROPIC_AUTH_TOKEN="${TOKEN_CANARY}"\n`);
  const home = tempHome();
  await runCli(['providers', 'add', 'openai', '--api-key-stdin'], { home, env, input: STORED_CANARY });

  for (const flags of [['--dry-run'], ['--dry-run', '--json'], ['--json'], [], ['--force', '--json'], ['--force']]) {
    const run = await runCli(['migrate', '--from', source, ...flags], { home, env });
    assert.equal(run.code, 0, run.stderr);
    assertClean(`migrate ${flags.join(' ')}`, run.stdout + run.stderr);
  }
  const keys = JSON.parse(readFileSync(join(home, 'keys.json'), 'utf8')).keys;
  assert.equal(keys.openai.key, CANARY, '--force took the source key');
  assert.deepEqual(keys.anthropic, {
    key: TOKEN_CANARY,
    source: `migrated from ${join(source, '.env')}`,
    authStyle: 'bearer',
  });
  for (const args of [
    ['providers', 'list'],
    ['providers', 'list', '--json'],
    ['quota', '--json'],
    ['models', '--json'],
  ]) {
    const run = await runCli(args, { home, env });
    assertClean(args.join(' '), run.stdout + run.stderr);
  }

  // Broken files: the line holding the key is named, never shown.
  writeFileSync(join(source, '.env'), `OPENAI_API_KEY=${CANARY}\n${TOKEN_CANARY}\n`);
  const brokenEnv = await runCli(['migrate', '--from', source, '--json'], { home, env });
  assert.equal(brokenEnv.code, 3);
  assert.match(brokenEnv.stderr, /\.env:2:1: expected NAME=value/);
  assertClean('a .env error', brokenEnv.stdout + brokenEnv.stderr);
  writeFileSync(join(source, '.env'), `OPENAI_API_KEY="${CANARY}\n`);
  const unclosed = await runCli(['migrate', '--from', source], { home, env });
  assert.equal(unclosed.code, 3);
  assertClean('an unclosed quote', unclosed.stdout + unclosed.stderr);
});

test('the key store and the copy made before the import are private', async () => {
  const source = copyFixture();
  const home = join(tempHome(), 'config');
  await runCli(['providers', 'add', 'groq', '--api-key-stdin'], { home, env, input: STORED_CANARY });
  const report = JSON.parse((await runCli(['migrate', '--from', source, '--json'], { home, env })).stdout);
  assert.equal(statSync(home).mode & 0o777, 0o700);
  assert.equal(statSync(join(home, 'keys.json')).mode & 0o777, 0o600);
  assert.equal(statSync(report.backup).mode & 0o777, 0o700);
  assert.equal(statSync(join(report.backup, 'keys.json')).mode & 0o777, 0o600);
});

test('keys.json: plain-string files read as before; provenance and bearer style round-trip; a replaced key loses both', () => {
  const dir = mkdtempSync(join(tmpdir(), 'llmgw-keys-'));
  const path = join(dir, 'keys.json');
  writeFileSync(path, '{"keys": {"groq": "gsk_old_style_key_1234567890"}}\n');
  assert.deepEqual(loadKeys(path), { groq: { key: 'gsk_old_style_key_1234567890' } });
  writeFileSync(
    path,
    keysText({
      ...loadKeys(path),
      anthropic: { key: TOKEN_CANARY, source: 'migrated from /old/.env', authStyle: 'bearer' },
    }),
  );
  assert.deepEqual(JSON.parse(readFileSync(path, 'utf8')), {
    keys: {
      groq: 'gsk_old_style_key_1234567890',
      anthropic: { key: TOKEN_CANARY, source: 'migrated from /old/.env', authStyle: 'bearer' },
    },
  });
  const anthropic = { id: 'anthropic', keyEnv: ['ANTHROPIC_API_KEY'] } as ProviderSpec;
  const resolved = resolveKey(anthropic, {}, loadKeys(path));
  assert.deepEqual(resolved, {
    key: TOKEN_CANARY,
    source: 'stored',
    auth: { kind: 'bearer' },
    origin: 'migrated from /old/.env',
  });
  writeFileSync(path, '{"keys": {"groq": {"key": "x", "colour": "red"}}}');
  assert.throws(() => loadKeys(path), /key file .* is invalid/);
});

test('an imported ANTHROPIC_AUTH_TOKEN is still sent as a bearer token, to the imported base URL', async () => {
  const fake = await startFakeUpstream();
  try {
    const source = copyFixture();
    writeFileSync(
      join(source, '.env'),
      `ANTHROPIC_AUTH_TOKEN=${TOKEN_CANARY}\nANTHROPIC_BASE_URL=${fake.anthropicBaseUrl}\n`,
    );
    const home = tempHome();
    const migrated = await runCli(['migrate', '--from', source], { home, env });
    assert.equal(migrated.code, 0, migrated.stderr);
    const chat = await runCli(['chat', '-m', 'claude-haiku-5-5', '--allow-paid', 'hello'], { home, env });
    assert.equal(chat.code, 0, chat.stderr);
    assert.equal(chat.stdout, 'Hello, world\n');
    assert.equal(fake.requests[0]?.authorization, `Bearer ${TOKEN_CANARY}`);
    assert.equal(fake.requests[0]?.xApiKey, undefined);
    assertClean('chat', chat.stdout + chat.stderr);
  } finally {
    await fake.close();
  }
});
