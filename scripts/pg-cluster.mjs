// A throw-away PostgreSQL cluster for the tests: Debian's server binaries (apt-get install postgresql), a new data
// directory under the system's temp directory, a free loopback port, a password for the `postgres` user (so the
// tests see a URL holding a secret, as users have). The server refuses to run as root, so as root it runs as the
// `postgres` user the package creates. Used by scripts/with-postgres.mjs (`npm run test:pg`, `npm test`, CI) and by
// the tests that stop and start a server themselves.
import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The directory holding initdb and pg_ctl: $PG_BIN, else the newest /usr/lib/postgresql/<n>/bin, else pg_config's. */
export function findServerBinaries() {
  const candidates = [];
  if (process.env.PG_BIN) candidates.push(process.env.PG_BIN);
  if (existsSync('/usr/lib/postgresql')) {
    const versions = readdirSync('/usr/lib/postgresql')
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((v) => `/usr/lib/postgresql/${v}/bin`));
  }
  const pgConfig = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  if (pgConfig.status === 0) candidates.push(pgConfig.stdout.trim());
  return candidates.find((dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl')));
}

export const INSTALL_HINT =
  'PostgreSQL server binaries not found: install them (Debian/Ubuntu: apt-get install -y postgresql), or set PG_BIN ' +
  'to the directory holding initdb and pg_ctl, or LLM_GATEWAY_TEST_DATABASE_URL to a server the tests may create ' +
  'databases on';

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** uid and gid of `name` from /etc/passwd. */
function userIds(name) {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${name}:`));
  if (!line) throw new Error(`running as root, the server needs a non-root user; there is no '${name}' user`);
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

/**
 * Starts a cluster and resolves to `{ url, port, dir, stop(), kill(), start() }`: `kill` ends the server at once
 * (SIGKILL, as a crash), `start` brings the same cluster back on the same port, `stop` ends it and deletes its files.
 */
export async function startCluster() {
  const bin = findServerBinaries();
  if (!bin) throw new Error(INSTALL_HINT);
  const dir = mkdtempSync(join(tmpdir(), 'llm-gateway-pg-'));
  const data = join(dir, 'data');
  const password = `pw-${Math.random().toString(36).slice(2, 10)}`;
  const asUser = process.getuid?.() === 0 ? userIds('postgres') : undefined;
  if (asUser) {
    chmodSync(dir, 0o700);
    chownSync(dir, asUser.uid, asUser.gid);
  }
  const run = (tool, args) => execFileSync(join(bin, tool), args, { stdio: 'pipe', cwd: dir, ...asUser });
  writeFileSync(join(dir, 'pw'), password, { mode: 0o600 });
  if (asUser) chownSync(join(dir, 'pw'), asUser.uid, asUser.gid);
  run('initdb', [
    '-D',
    data,
    '-U',
    'postgres',
    '--pwfile',
    join(dir, 'pw'),
    '--auth-host=scram-sha-256',
    '--auth-local=trust',
    '-E',
    'UTF8',
    '--no-sync',
  ]);
  rmSync(join(dir, 'pw'));
  const port = await freePort();
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
  const start = () => run('pg_ctl', ['-D', data, '-w', '-t', '30', '-o', options, '-l', join(dir, 'log'), 'start']);
  start();
  const pid = () => Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
  let stopped = false;
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    password,
    port,
    dir,
    start,
    kill() {
      process.kill(pid(), 'SIGKILL');
      // Its children go with it once the postmaster is gone; wait until the port is free again.
      for (let i = 0; i < 200 && spawnSync('sh', ['-c', `kill -0 ${pid()} 2>/dev/null`]).status === 0; i++)
        spawnSync('sleep', ['0.05']);
      rmSync(join(data, 'postmaster.pid'), { force: true });
    },
    stop() {
      if (stopped) return;
      stopped = true;
      spawnSync(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', 'stop'], { stdio: 'ignore', ...asUser });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
