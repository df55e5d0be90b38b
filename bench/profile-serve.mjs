// Where `llm-gateway serve` spends its CPU: a V8 profile (--cpu-prof) of serve under wrk at 50 connections in front
// of the fake upstream, JSON then SSE, summarised as the top frames by self time. Beside the figures of
// bench/serve.mjs, so the next person sees where the rest goes.
//
//   node bench/profile-serve.mjs [--duration 5] [--top 25]
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const DURATION = arg('duration', 5);
const TOP = arg('top', 25);
const SERVER_KEY = 'bench-server-key-0123456789abcdef';

const fake = spawn(process.execPath, ['--import', 'tsx', 'test/fake-upstream/main.ts'], {
  cwd: ROOT,
  env: {
    ...process.env,
    FAKE_UPSTREAM_RECORD: '0',
    FAKE_UPSTREAM_DEFAULT: JSON.stringify({ text: Array.from({ length: 20 }, (_, i) => `tok${i} `) }),
  },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const fakeUrl = await firstLine(fake.stdout).then((l) => JSON.parse(l).url);

const home = mkdtempSync(join(tmpdir(), 'llmgw-prof-'));
const profiles = mkdtempSync(join(tmpdir(), 'llmgw-prof-out-'));
writeFileSync(
  join(home, 'settings.json'),
  JSON.stringify({
    freeTiers: [
      { provider: 'groq', model: 'llama-3.1-8b-instant', tokens: 1e12, period: 'monthly', anchor: '2026-01-01' },
    ],
  }),
);
const serve = spawn(
  process.execPath,
  [
    `--cpu-prof`,
    `--cpu-prof-dir=${profiles}`,
    join(ROOT, 'bin/llm-gateway.js'),
    'serve',
    '--port',
    '0',
    '--quiet',
    '--max-concurrent',
    '256',
  ],
  {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      LLM_GATEWAY_HOME: home,
      LLM_GATEWAY_SERVER_KEY: SERVER_KEY,
      GROQ_API_KEY: 'bench-provider-key-0123456789',
      GROQ_BASE_URL: `${fakeUrl}/v1`,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  },
);
let err = '';
serve.stderr.setEncoding('utf8');
const url = await new Promise((resolve) => {
  serve.stderr.on('data', (d) => {
    err += d;
    const m = /serving on (http:\S+)/.exec(err);
    if (m) resolve(m[1]);
  });
});
serve.stderr.resume();

let requests = 0;
for (const stream of [false, true]) {
  const lua = join(profiles, `${stream}.lua`);
  const body = JSON.stringify({
    model: 'llama-3.1-8b-instant',
    messages: [{ role: 'user', content: 'Say hello.' }],
    ...(stream ? { stream: true } : {}),
  });
  writeFileSync(
    lua,
    `wrk.method = "POST"\nwrk.body = ${JSON.stringify(body)}\nwrk.headers["content-type"] = "application/json"\nwrk.headers["authorization"] = "Bearer ${SERVER_KEY}"\n`,
  );
  const run = spawnSync('wrk', ['-t1', '-c50', `-d${DURATION}s`, '-s', lua, `${url}/v1/chat/completions`], {
    encoding: 'utf8',
  });
  requests += Number(/(\d+) requests in/.exec(run.stdout)?.[1] ?? 0);
}
serve.kill('SIGINT');
await new Promise((resolve) => serve.once('exit', resolve));
fake.kill();

const file = readdirSync(profiles).find((f) => f.endsWith('.cpuprofile'));
const profile = JSON.parse(readFileSync(join(profiles, file), 'utf8'));
const interval = (profile.endTime - profile.startTime) / profile.samples.length / 1000; // ms per sample
const self = new Map();
let total = 0;
for (const node of profile.nodes) {
  const f = node.callFrame;
  const where = f.url
    ? `${f.url.replace(/^.*\/(dist|node_modules)\//, '$1/').replace(/^node:/, 'node:')}:${f.lineNumber + 1}`
    : '';
  const name = `${f.functionName || '(anonymous)'}${where ? ` ${where}` : ''}`;
  self.set(name, (self.get(name) ?? 0) + node.hitCount);
  total += node.hitCount;
}
const rows = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, TOP);
const busy = [...self.entries()].filter(([n]) => n !== '(idle)').reduce((sum, [, hits]) => sum + hits, 0);
const perRequest = (hits) => ((hits * interval) / Math.max(1, requests)).toFixed(3);
console.log(
  `serve under wrk -c50, ${DURATION} s JSON then ${DURATION} s SSE: ${requests} requests, ${perRequest(busy)} ms of CPU sampled per request (idle excluded)\n`,
);
console.log('| self % | self ms/request | frame |\n| --- | --- | --- |');
for (const [name, hits] of rows)
  console.log(`| ${((hits / total) * 100).toFixed(1)} | ${perRequest(hits)} | \`${name}\` |`);
rmSync(home, { recursive: true, force: true });
rmSync(profiles, { recursive: true, force: true });

function firstLine(stream) {
  return new Promise((resolve) => {
    let buf = '';
    stream.setEncoding('utf8').on('data', (d) => {
      buf += d;
      const nl = buf.indexOf('\n');
      if (nl >= 0) {
        stream.removeAllListeners('data');
        stream.resume();
        resolve(buf.slice(0, nl));
      }
    });
  });
}
