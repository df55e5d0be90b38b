// Runs the real `llm-gateway serve` binary as a subprocess against a fake upstream, the way a user would, and
// hands tests its address, access key and everything it printed.
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startFakeUpstream, type FakeUpstream, type Step } from '../fake-upstream/index.ts';
import { cleanEnv, spawnBin, tempHome } from './cli.ts';
import { KEYS } from './chat-e2e.ts';

export interface Served {
  url: string;
  key: string;
  home: string;
  fake: FakeUpstream;
  env: NodeJS.ProcessEnv;
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** SIGTERM, then the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  exited: Promise<number | null>;
}

export interface ServeOptions {
  args?: string[];
  env?: Record<string, string | undefined>;
  steps?: Step[];
  /** Providers that get a canary key (default groq only: auto then lands on its free tier). */
  keys?: Array<keyof typeof KEYS>;
  fake?: FakeUpstream;
  home?: string;
}

const KEY_ENV: Record<keyof typeof KEYS, string> = {
  groq: 'GROQ_API_KEY',
  siliconflow: 'SILICONFLOW_API_KEY',
  moonshot: 'MOONSHOT_API_KEY',
  anthropic: 'ANTHROPIC_API_KEY',
  anthropicToken: 'ANTHROPIC_AUTH_TOKEN',
};

/** The environment a server (or a `chat` beside it) runs with: every provider pointed at the fake. */
export function fakeEnv(
  home: string,
  fake: FakeUpstream,
  keys: Array<keyof typeof KEYS>,
  extra: Record<string, string | undefined> = {},
) {
  const env: Record<string, string> = {
    GROQ_BASE_URL: fake.openaiBaseUrl,
    SILICONFLOW_BASE_URL: fake.openaiBaseUrl,
    MOONSHOT_BASE_URL: fake.openaiBaseUrl,
    ANTHROPIC_BASE_URL: fake.anthropicBaseUrl,
    OPENAI_BASE_URL: `${fake.url}/unused-openai/v1`,
    ALIYUN_BASE_URL: `${fake.url}/unused-aliyun/v1`,
  };
  for (const k of keys) env[KEY_ENV[k]] = KEYS[k];
  return cleanEnv(home, { ...env, ...extra });
}

export async function startServe(options: ServeOptions = {}): Promise<Served> {
  const fake = options.fake ?? (await startFakeUpstream({ steps: options.steps }));
  const home = options.home ?? tempHome();
  // Every test server looks at settings and keys on each request: a `providers add` is seen by the very next one.
  const env = fakeEnv(home, fake, options.keys ?? ['groq'], { LLM_GATEWAY_CONFIG_RECHECK_MS: '0', ...options.env });
  const child = spawnBin(['serve', '--port', '0', ...(options.args ?? [])], env, ['ignore', 'pipe', 'pipe']);
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d) => (stdout += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${stderr}`)), 20_000);
    child.stderr!.setEncoding('utf8').on('data', (d) => {
      stderr += d;
      const m = /serving on (http:\/\/\S+)/.exec(stderr);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    void exited.then((code) => reject(new Error(`serve exited ${code}:\n${stderr}`)));
  });
  const key = env.LLM_GATEWAY_SERVER_KEY ?? readFileSync(join(home, 'server-key'), 'utf8').trim();
  return {
    url,
    key,
    home,
    fake,
    env,
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null) child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      const code = await exited;
      clearTimeout(timer);
      if (!options.fake) await fake.close();
      return code;
    },
  };
}

/** A raw HTTP request with full control of the headers (fetch would not let a test set Host). */
export async function rawRequest(
  url: string,
  init: { method?: string; path: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const http = await import('node:http');
  const target = new URL(init.path, url);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname + target.search,
        method: init.method ?? 'GET',
        headers: init.headers,
        setHost: !init.headers?.host && !init.headers?.Host,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}
