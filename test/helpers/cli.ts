// Runs the real, built binary as a subprocess, the way a user or a script does.
import { spawn } from 'node:child_process';
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
    // A proxy of the machine's own would carry the tests' loopback calls too (a test sets its own proxy).
    if (
      /_API_KEY$|_AUTH_TOKEN$|_BASE_URL$|^FORCE_COLOR$|^NO_COLOR$|^LLM_GATEWAY_|^XDG_CONFIG_HOME$|_proxy$|_PROXY$/i.test(
        k,
      )
    )
      continue;
    env[k] = v;
  }
  return { ...env, LLM_GATEWAY_HOME: home, LLM_GATEWAY_NOW: '2026-11-26T04:00:00Z', ...extra };
}

export function runCli(args: string[], options: CliOptions): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: cleanEnv(options.home, options.env),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

// eslint-disable-next-line no-control-regex
export const ANSI = /\u001b\[[0-9;]*m/;
