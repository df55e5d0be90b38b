// Where `llm-gateway serve` spends its CPU: a V8 profile (--cpu-prof) of serve under wrk at 50 connections in front
// of the fake upstream, JSON then SSE, summarised as the top frames by self time. Beside the figures of
// bench/serve.mjs, so the next person sees where the rest goes.
//
//   node bench/profile-serve.mjs [--duration 5] [--top 25]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchHome, children, ROOT, SERVER_KEY, startFake, startServe, writeWrkScript } from './serve-setup.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const DURATION = arg('duration', 5);
const TOP = arg('top', 25);

process.on('exit', () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
});
const fake = await startFake();
const home = benchHome('llmgw-prof-');
const profiles = mkdtempSync(join(tmpdir(), 'llmgw-prof-out-'));
// The serve bench/serve.mjs measures, under V8's sampling profiler.
const serve = await startServe('serve', ROOT, home, fake.url, ['--cpu-prof', `--cpu-prof-dir=${profiles}`]);

let requests = 0;
for (const stream of [false, true]) {
  const lua = join(profiles, `${stream}.lua`);
  writeWrkScript(lua, stream, { authorization: `Bearer ${SERVER_KEY}` });
  const run = spawnSync('wrk', ['-t1', '-c50', `-d${DURATION}s`, '-s', lua, `${serve.url}/v1/chat/completions`], {
    encoding: 'utf8',
  });
  requests += Number(/(\d+) requests in/.exec(run.stdout)?.[1] ?? 0);
}
// SIGINT: serve exits cleanly, and V8 writes the profile on the way out.
serve.child.kill('SIGINT');
await new Promise((resolve) => serve.child.once('exit', resolve));
fake.child.kill();

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
