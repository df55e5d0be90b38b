// `migrate` with a shared database configured (issue 18): the usage api-gateway had spent goes to the database
// every machine plans from, not to a ledger.db nobody reads; the report says where; a second run, from another
// machine too, adds nothing.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli, tempHome } from '../helpers/cli.ts';
import { FIXTURE } from '../helpers/migrate.ts';
import { freshDatabase, runSql } from '../helpers/postgres.ts';

const NOW = '2026-02-20T12:00:00Z';

test('migrate with a database URL imports the usage into the shared ledger, once', async () => {
  const url = await freshDatabase();
  const env = { LLM_GATEWAY_NOW: NOW, LLM_GATEWAY_DATABASE_URL: url };
  const migrated = async () =>
    runSql(url, "SELECT request_id, input_tokens FROM usage WHERE request_id LIKE 'migrated:%' ORDER BY request_id");
  const home = join(tempHome(), 'config');

  const run = await runCli(['migrate', '--from', FIXTURE], { home, env });
  assert.equal(run.code, 0, run.stderr);
  assert.match(
    run.stdout,
    /The usage went to the shared quota ledger postgres:\/\/postgres@127\.0\.0\.1:\d+\/llmgw_\w+/,
  );
  assert.doesNotMatch(run.stdout, new RegExp(new URL(url).password));
  const rows = await migrated();
  // The sample's four windows still running at NOW (test/e2e/migrate.test.ts says which and why).
  assert.deepEqual(
    rows.map((r) => `${r.request_id} ${r.input_tokens}`),
    [
      'migrated:aliyun:deepseek-v3.2:2026-02-03 1000000',
      'migrated:aliyun:kimi-k2.5:2026-01-30 250000',
      'migrated:groq:llama-3.1-8b-instant:2026-02-15 182340',
      'migrated:moonshot:moonshot-v1-8k:2026-02-15 4096',
    ],
  );
  assert.equal(existsSync(join(home, 'ledger.db')), false, 'no local ledger was written');

  // Another machine migrating the same installation: its settings and keys are new, the usage is already there.
  const other = join(tempHome(), 'config');
  const again = await runCli(['migrate', '--from', FIXTURE, '--json'], { home: other, env });
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual(
    JSON.parse(again.stdout).imported.filter((i: { kind: string }) => i.kind === 'usage'),
    [],
    'the usage is already in the shared ledger',
  );
  assert.deepEqual(await migrated(), rows);
});
