// What every real-client test shares: where the pinned clients are installed (install.ts), how to start one of
// their programs or load one of their libraries, the environment that keeps them quiet and on loopback, and the
// ledger read back through the real binary.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBin } from '../helpers/cli.ts';
import type { Served } from '../helpers/serve.ts';
import { clientsDir, PINNED } from './install.ts';

const DIR = clientsDir();

/** Why a client test cannot run (the install is missing), or undefined when it can. */
export const notInstalled = existsSync(join(DIR, 'installed.json'))
  ? undefined
  : `the pinned clients are not installed in ${DIR}: run \`npm run test:clients\` (it installs them first)`;

/** The pinned version of a package of versions.json. */
export const versionOf = (pkg: string) => PINNED[pkg]!;

/** A program of the installed clients (node_modules/.bin). */
export const clientBin = (name: string) => join(DIR, 'node_modules', '.bin', name);

/** A library of the installed clients, loaded from there (CommonJS entry: one copy of zod and friends for all). */
export const requireClient: (pkg: string) => any = createRequire(join(DIR, 'package.json'));

const homes: string[] = [];
// The clients write sessions, logs and caches into their homes: none of it outlives the test file.
process.once('exit', () => {
  for (const home of homes) rmSync(home, { recursive: true, force: true });
});

/** A fresh directory a client may treat as its home and its working directory, removed when the tests end. */
export function clientHome(): string {
  const home = mkdtempSync(join(tmpdir(), 'llmgw-client-'));
  homes.push(home);
  return home;
}

/**
 * The environment a client program runs in: only what it needs to start (PATH, locale), its home in a temp
 * directory, no proxy (loopback only) and no key of the developer's, plus the client's own variables.
 */
export function clientEnv(home: string, extra: Record<string, string>): NodeJS.ProcessEnv {
  const keep = ['PATH', 'LANG', 'LC_ALL', 'TERM', 'SYSTEMROOT'];
  const env: NodeJS.ProcessEnv = {};
  for (const k of keep) if (process.env[k] !== undefined) env[k] = process.env[k];
  return { ...env, HOME: home, TMPDIR: tmpdir(), XDG_CONFIG_HOME: join(home, '.config'), NO_PROXY: '*', ...extra };
}

export interface ClientRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a client program to its end (killed after timeoutMs: a hang fails its test, not the suite). */
export function runClient(
  program: string,
  args: string[],
  options: { env: NodeJS.ProcessEnv; cwd: string; input?: string; timeoutMs?: number },
): Promise<ClientRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { env: options.env, cwd: options.cwd, stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    child.stdin.on('error', () => {});
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 90_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

/** The ledger's totals per model, read with `usage --json --by model` in serve's config directory. */
export interface UsageGroup {
  key: string;
  calls: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
}

export async function usageByModel(s: Served): Promise<Map<string, UsageGroup>> {
  const run = await runBin(['usage', '--json', '--by', 'model'], { env: s.env });
  if (run.code !== 0) throw new Error(`usage --json exited ${run.code}: ${run.stderr}`);
  const groups: UsageGroup[] = JSON.parse(run.stdout).groups;
  return new Map(groups.map((g) => [g.key, g]));
}
