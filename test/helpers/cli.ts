// Runs the real, built binary as a subprocess, the way a user or a script does. The one place that starts it
// (terminal.ts starts it on a pseudo-terminal with binCommand).
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Files a test writes by hand (settings.json without a mode) must not come out group-writable under a umask of 002,
// which some machines use: llm-gateway refuses to read settings others can write (store/config-trust.ts).
process.umask(0o022);

export const BIN = fileURLToPath(new URL('../../bin/llm-gateway.js', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A finished run, with how long it took. */
export interface BinRun extends CliResult {
  ms: number;
}

export interface BinOptions {
  /** The whole environment of the run (see cleanEnv). */
  env: NodeJS.ProcessEnv;
  input?: string | Buffer;
  /** SIGKILL after this long (default 120 s): a hang fails its test instead of the whole suite. */
  timeoutMs?: number;
  /** Send `interruptWith` (SIGINT, as Ctrl-C in a shell would) once, as soon as stdout matches this. */
  interruptOn?: RegExp;
  interruptWith?: NodeJS.Signals;
}

export interface CliOptions {
  home: string;
  env?: Record<string, string | undefined>;
  input?: string | Buffer;
  timeoutMs?: number;
}

/** A fresh config directory for one test. */
export function tempHome(): string {
  return mkdtempSync(join(tmpdir(), 'llmgw-test-'));
}

/** The environment a test run gets: no real keys, no colour forcing, a fixed day unless the test sets one. */
export function cleanEnv(home: string, extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/_API_KEY$|_AUTH_TOKEN$|_BASE_URL$|^FORCE_COLOR$|^NO_COLOR$|^LLM_GATEWAY_|^XDG_CONFIG_HOME$/.test(k)) continue;
    env[k] = v;
  }
  return { ...env, LLM_GATEWAY_HOME: home, LLM_GATEWAY_NOW: '2026-11-26T04:00:00Z', ...extra };
}

/** The command line that starts the binary with `args`: the program, then its arguments (also for a terminal). */
export function binCommand(args: string[]): [string, string[]] {
  return [process.execPath, [BIN, ...args]];
}

/** Starts the binary; every test that runs it as a plain subprocess comes through here. */
export function spawnBin(args: string[], env: NodeJS.ProcessEnv, stdio: StdioOptions = 'pipe'): ChildProcess {
  const [program, argv] = binCommand(args);
  return spawn(program, argv, { env, stdio });
}

/** Runs the binary to its end: its exit code, everything it printed, and how long it took. */
export function runBin(args: string[], options: BinOptions): Promise<BinRun> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawnBin(args, options.env);
    let stdout = '';
    let stderr = '';
    let interrupted = false;
    child.stdout!.setEncoding('utf8').on('data', (d) => {
      stdout += d;
      if (options.interruptOn && !interrupted && options.interruptOn.test(stdout)) {
        interrupted = true;
        child.kill(options.interruptWith ?? 'SIGINT');
      }
    });
    child.stderr!.setEncoding('utf8').on('data', (d) => (stderr += d));
    // A CLI that refuses its input before reading all of it closes the pipe under us: that is its right.
    child.stdin!.on('error', () => {});
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: performance.now() - started });
    });
    child.stdin!.end(options.input ?? '');
  });
}

/** Runs the binary in the config directory `home`, with a clean environment plus `env`. */
export async function runCli(args: string[], options: CliOptions): Promise<CliResult> {
  const { code, stdout, stderr } = await runBin(args, { ...options, env: cleanEnv(options.home, options.env) });
  return { code, stdout, stderr };
}

// eslint-disable-next-line no-control-regex
export const ANSI = /\u001b\[[0-9;]*m/;
