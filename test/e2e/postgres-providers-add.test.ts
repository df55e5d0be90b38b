// `providers add` while the shared database is down (issue 18): a key belongs to this machine and is saved without
// the ledger, so the command succeeds; the one thing it wanted of the ledger — lifting the cooldowns the old key
// earned — is named in a warning, with the host, never the password.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli, tempHome } from '../helpers/cli.ts';
import { KEYS } from '../helpers/chat-e2e.ts';

/** A loopback port nothing listens on: taken, then given back. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

test('providers add with the shared ledger unreachable saves the key, warns, exits 0', async () => {
  const port = await closedPort();
  const password = 'pw-CANARY-4f1e';
  const home = tempHome();
  const env = { LLM_GATEWAY_DATABASE_URL: `postgres://gw:${password}@127.0.0.1:${port}/ledger` };
  const run = await runCli(['providers', 'add', 'groq', '--api-key-stdin'], { home, env, input: KEYS.groq });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, /key stored for groq/);
  assert.match(run.stderr, new RegExp(`warning: cannot reach the shared quota ledger at 127\\.0\\.0\\.1:${port}`));
  assert.match(run.stderr, /was not lifted: it ends on its own, or run this again once the ledger can be reached/);
  assert.doesNotMatch(run.stdout + run.stderr, new RegExp(`${password}|${KEYS.groq}`));
  assert.equal(JSON.parse(readFileSync(join(home, 'keys.json'), 'utf8')).keys.groq, KEYS.groq);
});
