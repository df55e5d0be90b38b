// Runs a command with LLM_GATEWAY_TEST_DATABASE_URL pointing at a throw-away PostgreSQL cluster, then stops the
// cluster and deletes it: `node scripts/with-postgres.mjs node --test …`. With the variable already set (a server
// the runner started), the command runs against that one and nothing is started.
import { spawnSync } from 'node:child_process';
import { startCluster } from './pg-cluster.mjs';

const [command, ...args] = process.argv.slice(2);
if (!command) {
  process.stderr.write('usage: node scripts/with-postgres.mjs <command> [args…]\n');
  process.exit(2);
}
let cluster;
if (!process.env.LLM_GATEWAY_TEST_DATABASE_URL) {
  try {
    cluster = await startCluster();
  } catch (err) {
    process.stderr.write(`with-postgres: ${err.message}\n`);
    process.exit(1);
  }
  process.stderr.write(`with-postgres: a throw-away PostgreSQL on 127.0.0.1:${cluster.port}\n`);
}
const stop = () => cluster?.stop();
for (const signal of ['SIGINT', 'SIGTERM'])
  process.on(signal, () => {
    stop();
    process.exit(130);
  });
const env = cluster ? { ...process.env, LLM_GATEWAY_TEST_DATABASE_URL: cluster.url } : process.env;
const result = spawnSync(command, args, { stdio: 'inherit', env });
stop();
process.exit(result.status ?? 1);
