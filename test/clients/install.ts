// Installs the pinned real clients (versions.json) into a cache directory outside the repository, once per set of
// versions, so `npm run test:clients` runs them without touching the project's own dependencies:
// $XDG_CACHE_HOME/llm-gateway-clients/<hash of versions.json>, else ~/.cache/… . Run by test:clients before the
// tests (`node --import tsx test/clients/install.ts`); the tests only read what it installed.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const VERSIONS = fileURLToPath(new URL('versions.json', import.meta.url));

export const PINNED: Record<string, string> = JSON.parse(readFileSync(VERSIONS, 'utf8')).dependencies;

/** Where this set of versions lives: a new set installs beside the old one, never over it. */
export function clientsDir(): string {
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  const hash = createHash('sha256').update(JSON.stringify(PINNED)).digest('hex').slice(0, 12);
  return join(base, 'llm-gateway-clients', hash);
}

/** Installs the clients unless a finished install is there (its stamp is written last). */
export function ensureClients(): string {
  const dir = clientsDir();
  const stamp = join(dir, 'installed.json');
  if (existsSync(stamp)) return dir;
  // A half-done install from an interrupted run is started over, in a fresh directory.
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const manifest = {
    name: 'llm-gateway-test-clients',
    private: true,
    dependencies: PINNED,
    // Claude Code and opencode copy their platform's native binary into place from a postinstall script.
    allowScripts: { '@anthropic-ai/claude-code': true, 'opencode-ai': true },
  };
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  // Under `npm run`, npm tells its child where the project is (npm_config_local_prefix, npm_package_*…): that is not
  // where this install goes, so none of it is passed on, and --prefix says where.
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!/^npm_(config_(local_)?prefix|config_allow_scripts|package_|lifecycle_)/i.test(k)) env[k] = v;
  }
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const args = ['install', '--prefix', dir, '--no-audit', '--no-fund', '--no-package-lock', '--loglevel=error'];
  const run = spawnSync(npm, [...args, '--engine-strict=false', '--update-notifier=false'], {
    cwd: dir,
    stdio: 'inherit',
    env,
  });
  if (run.status !== 0) throw new Error(`npm install of the pinned clients failed in ${dir} (exit ${run.status})`);
  writeFileSync(`${stamp}.tmp`, `${JSON.stringify(PINNED, null, 2)}\n`);
  renameSync(`${stamp}.tmp`, stamp);
  return dir;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const started = performance.now();
  const dir = ensureClients();
  console.error(`clients ready in ${dir} (${Math.round(performance.now() - started)} ms)`);
}
