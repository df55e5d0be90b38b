// What bench/serve.mjs and bench/profile-serve.mjs both start: the fake upstream, a serve in front of it with the
// same config directory, keys and flags, and the wrk script of one request — so the profile is of the serve the
// table measures, and a change to either is made once.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const CHUNKS = 20;
export const PROVIDER_KEY = 'bench-provider-key-0123456789';
export const SERVER_KEY = 'bench-server-key-0123456789abcdef';

/** Every child started here, for the caller to kill on exit. */
export const children = [];

/**
 * Starts a process and resolves once `ready(stdout, stderr)` returns its URL; then stops reading its output (a
 * request log nobody reads must not fill a pipe) — unless `keepStdout`: then `stdout()` returns all it wrote.
 */
export async function start(name, cmd, args, env, ready, readyOnStderr = false, keepStdout = false) {
  const child = spawn(cmd, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', readyOnStderr && !keepStdout ? 'ignore' : 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (d) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d) => (err += d));
  const url = await new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      try {
        const u = ready(out, err);
        if (u) {
          clearInterval(timer);
          resolve(u);
        }
      } catch {
        // not ready yet
      }
    }, 50);
    child.on('exit', (code) => reject(new Error(`${name} exited ${code}: ${err}`)));
  });
  if (!keepStdout) child.stdout?.removeAllListeners('data').resume();
  child.stderr.removeAllListeners('data').resume();
  return { pid: child.pid, url, child, stdout: () => out };
}

/** The fake upstream answering every chat with CHUNKS tokens (streamed as CHUNKS events). */
export function startFake() {
  return start(
    'fake',
    process.execPath,
    ['--import', 'tsx', 'test/fake-upstream/main.ts'],
    {
      FAKE_UPSTREAM_RECORD: '0',
      FAKE_UPSTREAM_DEFAULT: JSON.stringify({ text: Array.from({ length: CHUNKS }, (_, i) => `tok${i} `) }),
    },
    (out) => JSON.parse(out.split('\n')[0]).url,
  );
}

/**
 * A config directory with a free tier large enough that the benchmark never exhausts it: every request still
 * reserves and settles.
 */
export function benchHome(prefix = 'llmgw-bench-') {
  const home = mkdtempSync(join(tmpdir(), prefix));
  writeFileSync(
    join(home, 'settings.json'),
    JSON.stringify({
      freeTiers: [
        { provider: 'groq', model: 'llama-3.1-8b-instant', tokens: 1e12, period: 'monthly', anchor: '2026-01-01' },
      ],
    }),
  );
  return home;
}

/**
 * `serve` of the build in `dir` (this one, or a --baseline checkout) in front of the fake; `node` flags first
 * (`keepStdout` for flags that report there, such as --trace-gc-nvp).
 */
export function startServe(name, dir, home, fakeUrl, nodeFlags = [], keepStdout = false) {
  return start(
    name,
    process.execPath,
    [...nodeFlags, join(dir, 'bin/llm-gateway.js'), 'serve', '--port', '0', '--quiet', '--max-concurrent', '256'],
    {
      LLM_GATEWAY_HOME: home,
      LLM_GATEWAY_SERVER_KEY: SERVER_KEY,
      GROQ_API_KEY: PROVIDER_KEY,
      GROQ_BASE_URL: `${fakeUrl}/v1`,
    },
    (_out, err) => /serving on (http:\S+)/.exec(err)?.[1],
    true,
    keepStdout,
  );
}

export function chatBody(stream) {
  return JSON.stringify({
    model: 'llama-3.1-8b-instant',
    messages: [{ role: 'user', content: 'Say hello.' }],
    ...(stream ? { stream: true } : {}),
  });
}

/** wrk's Lua script for one request: POST `chatBody(stream)` with these headers. */
export function writeWrkScript(path, stream, headers) {
  const all = { ...headers, 'content-type': 'application/json' };
  writeFileSync(
    path,
    [
      'wrk.method = "POST"',
      `wrk.body = ${JSON.stringify(chatBody(stream))}`,
      ...Object.entries(all).map(([k, v]) => `wrk.headers[${JSON.stringify(k)}] = ${JSON.stringify(v)}`),
    ].join('\n'),
  );
}
