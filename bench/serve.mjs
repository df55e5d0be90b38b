// `llm-gateway serve` against the fake upstream directly, a minimal node:http forwarder (bench/forwarder.mjs, the
// floor) and Portkey's open-source gateway, each in front of the same fake: requests per second, added latency (p50/p99), time to the first streamed token, CPU per request and
// peak RSS — non-streaming and streaming (20 chunks), at 1 and 50 connections (--connections 1,10,50 for more). Loopback only, bounded (each
// load run lasts --duration seconds), all cases interleaved round by round so machine noise hits them alike.
//
//   node bench/serve.mjs [--rounds 3] [--duration 3] [--ttft 100] [--connections 1,50] [--baseline DIR]
//
// --baseline DIR adds the serve of another build (a checkout with its own dist/, e.g. the commit before a change),
// measured in the same interleaved run: a before/after under the same load.
//
// The load generator is wrk (Debian's package; installed here with apt-get when missing). Portkey lives in
// bench/portkey with its own lockfile, installed here on first use, never a dependency of llm-gateway; its
// package.json pins @hono/node-server to 1.13.5 through overrides (later versions break its streaming).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { median } from './lib.mjs';
import {
  benchHome,
  CHUNKS,
  chatBody,
  children,
  PROVIDER_KEY,
  SERVER_KEY,
  ROOT,
  start,
  startFake,
  startServe,
  writeWrkScript,
} from './serve-setup.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const ROUNDS = arg('rounds', 3);
const DURATION = arg('duration', 3);
const TTFT_SAMPLES = arg('ttft', 100);
const CONNECTIONS = (
  process.argv.includes('--connections') ? process.argv[process.argv.indexOf('--connections') + 1] : '1,50'
)
  .split(',')
  .map(Number);
const CLK_TCK = 100; // Linux reports utime/stime in clock ticks of 1/100 s
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

ensureWrk();
ensurePortkey();
if (!existsSync(join(ROOT, 'dist/main.js'))) execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });

process.on('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});
process.on('SIGINT', () => process.exit(130));

const fake = await startFake();

// Each serve its own config directory (and ledger); the second is the baseline's.
const homes = [benchHome(), benchHome()];
const serve = await startServe('serve', ROOT, homes[0], fake.url);

const forwarder = await start(
  'forwarder',
  process.execPath,
  [join(ROOT, 'bench/forwarder.mjs'), fake.url],
  {},
  (out) => JSON.parse(out.split('\n')[0]).url,
);

const baselineDir = process.argv.includes('--baseline') ? process.argv[process.argv.indexOf('--baseline') + 1] : '';
const baseline = baselineDir ? await startServe('baseline serve', baselineDir, homes[1], fake.url) : undefined;

const portkeyPort = await freePort();
const portkey = await start(
  'portkey',
  process.execPath,
  [
    join(ROOT, 'bench/portkey/node_modules/@portkey-ai/gateway/build/start-server.js'),
    `--port=${portkeyPort}`,
    '--headless',
  ],
  {
    NODE_ENV: 'production',
  },
  () => `http://127.0.0.1:${portkeyPort}`,
);
await waitForPort(portkeyPort);

const TARGETS = [
  {
    name: 'fake upstream directly',
    proc: fake,
    url: `${fake.url}/v1/chat/completions`,
    headers: { authorization: `Bearer ${PROVIDER_KEY}` },
  },
  {
    name: 'minimal forwarder',
    proc: forwarder,
    url: `${forwarder.url}/v1/chat/completions`,
    headers: { authorization: `Bearer ${PROVIDER_KEY}` },
  },
  {
    name: 'llm-gateway serve',
    proc: serve,
    url: `${serve.url}/v1/chat/completions`,
    headers: { authorization: `Bearer ${SERVER_KEY}` },
  },
  ...(baseline
    ? [
        {
          name: 'llm-gateway serve (baseline)',
          proc: baseline,
          url: `${baseline.url}/v1/chat/completions`,
          headers: { authorization: `Bearer ${SERVER_KEY}` },
        },
      ]
    : []),
  {
    name: 'Portkey gateway',
    proc: portkey,
    url: `${portkey.url}/v1/chat/completions`,
    headers: {
      authorization: `Bearer ${PROVIDER_KEY}`,
      'x-portkey-provider': 'openai',
      'x-portkey-custom-host': `${fake.url}/v1`,
    },
  },
];

// Every target must answer both modes correctly before anything is measured.
for (const t of TARGETS) {
  for (const stream of [false, true]) {
    const r = await request(t, stream);
    const text = stream ? r.body : JSON.parse(r.body).choices?.[0]?.message?.content;
    if (r.status !== 200 || !String(text).includes(`tok${CHUNKS - 1}`))
      throw new Error(`${t.name} (${stream ? 'stream' : 'json'}) answered ${r.status}: ${r.body.slice(0, 300)}`);
  }
}

const loadBefore = loadavg();
const scripts = mkdtempSync(join(tmpdir(), 'llmgw-wrk-'));
const results = new Map(); // key: mode|conc|target -> samples
for (let round = 0; round < ROUNDS + 1; round++) {
  for (const conc of CONNECTIONS) {
    for (const stream of [false, true]) {
      for (const t of TARGETS) {
        const sample = runWrk(t, stream, conc, round === 0 ? 1 : DURATION);
        if (round === 0) continue; // warm-up: JIT, connection pools, SQLite page cache
        const key = `${stream ? 'stream' : 'json'}|${conc}|${t.name}`;
        if (!results.has(key)) results.set(key, []);
        results.get(key).push(sample);
      }
    }
  }
  process.stderr.write(`round ${round}/${ROUNDS} done\n`);
}

const ttft = new Map(TARGETS.map((t) => [t.name, []]));
for (let i = 0; i < TTFT_SAMPLES; i++) for (const t of TARGETS) ttft.get(t.name).push(await firstToken(t));

report();
rmSync(scripts, { recursive: true, force: true });
for (const h of homes) rmSync(h, { recursive: true, force: true });
process.exit(0);

// ---------------------------------------------------------------------------------------------------------------

function report() {
  const fmt = (n, d = 2) => (Number.isFinite(n) ? n.toFixed(d) : '—');
  console.log(
    `\n${ROUNDS} interleaved rounds of ${DURATION} s per case, wrk -t1, ${CHUNKS}-chunk streams; medians of the rounds.`,
  );
  console.log('"added" = the gateway\'s figure minus the fake\'s in the same round; CPU is the gateway process alone.');
  const load = (l) => l.map((n) => n.toFixed(2)).join(', ');
  console.log(`load average (1, 5, 15 min): ${load(loadBefore)} at the start, ${load(loadavg())} at the end.\n`);
  for (const mode of ['json', 'stream']) {
    const rows = [
      [
        'connections',
        'target',
        'req/s',
        'p50 ms',
        'p99 ms',
        'added p50 ms',
        'added p99 ms',
        'CPU ms/req',
        'peak RSS MiB',
        'errors',
        'vs Portkey req/s',
        'CPU vs forwarder',
      ],
    ];
    for (const conc of CONNECTIONS) {
      const of = (t) => results.get(`${mode}|${conc}|${t.name}`);
      const base = of(TARGETS[0]);
      const pk = of(TARGETS.find((t) => t.name === 'Portkey gateway'));
      const floor = of(TARGETS.find((t) => t.name === 'minimal forwarder'));
      for (const t of TARGETS) {
        const s = of(t);
        const m = (f) => median(s.map(f));
        const added = (f) => median(s.map((x, i) => f(x) - f(base[i])));
        rows.push([
          conc,
          t.name,
          fmt(
            m((x) => x.rps),
            0,
          ),
          fmt(m((x) => x.p50)),
          fmt(m((x) => x.p99)),
          t === TARGETS[0] ? '' : fmt(added((x) => x.p50)),
          t === TARGETS[0] ? '' : fmt(added((x) => x.p99)),
          fmt(
            m((x) => x.cpuMsPerReq),
            3,
          ),
          fmt(Math.max(...s.map((x) => x.rssMiB)), 0),
          s.reduce((n, x) => n + x.errors, 0),
          t === TARGETS[0] ? '' : `${fmt(median(s.map((x, i) => x.rps / pk[i].rps)))}×`,
          t === TARGETS[0] ? '' : `${fmt(median(s.map((x, i) => x.cpuMsPerReq / floor[i].cpuMsPerReq)))}×`,
        ]);
      }
    }
    console.log(`### ${mode === 'json' ? 'Non-streaming' : `Streaming (${CHUNKS} chunks)`}\n`);
    console.log(markdown(rows));
    console.log('');
  }
  const base = median(ttft.get(TARGETS[0].name));
  const rows = [['target', 'first token ms (median)', 'added ms']];
  for (const t of TARGETS)
    rows.push([t.name, fmt(median(ttft.get(t.name))), t === TARGETS[0] ? '' : fmt(median(ttft.get(t.name)) - base)]);
  console.log(`### Time to first streamed token (${TTFT_SAMPLES} sequential requests each, interleaved)\n`);
  console.log(markdown(rows));
}

function markdown(rows) {
  return [rows[0], rows[0].map(() => '---'), ...rows.slice(1)].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

function runWrk(target, stream, conc, seconds) {
  const lua = join(scripts, `${TARGETS.indexOf(target)}-${stream}.lua`);
  if (!existsSync(lua)) writeWrkScript(lua, stream, target.headers);
  const before = cpuTicks(target.proc.pid);
  const run = spawnSync(
    'wrk',
    ['-t1', `-c${conc}`, `-d${seconds}s`, '--latency', '--timeout', '10s', '-s', lua, target.url],
    { encoding: 'utf8' },
  );
  const ticks = cpuTicks(target.proc.pid) - before;
  if (run.status !== 0) throw new Error(`wrk failed: ${run.stderr}`);
  const out = run.stdout;
  const requests = Number(/(\d+) requests in/.exec(out)[1]);
  const errors =
    Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0) +
    [...out.matchAll(/(connect|read|write|timeout) (\d+)/g)].reduce((n, m) => n + Number(m[2]), 0);
  return {
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)[1]),
    p50: latencyMs(out, '50%'),
    p99: latencyMs(out, '99%'),
    cpuMsPerReq: ((ticks / CLK_TCK) * 1000) / Math.max(1, requests),
    rssMiB: peakRssMiB(target.proc.pid),
    errors,
  };
}

function latencyMs(out, pct) {
  const m = new RegExp(`${pct.replace('%', '%')}\\s+([\\d.]+)(us|ms|s)`).exec(out);
  const n = Number(m[1]);
  return m[2] === 'us' ? n / 1000 : m[2] === 's' ? n * 1000 : n;
}

function cpuTicks(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime, stime
}

function peakRssMiB(pid) {
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);
  return kb / 1024;
}

function request(target, stream) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      target.url,
      { method: 'POST', headers: { ...target.headers, 'content-type': 'application/json' } },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode, body: text }));
      },
    );
    req.on('error', reject);
    req.end(chatBody(stream));
  });
}

/** ms from sending a streaming request to the first chunk that carries answer text. */
function firstToken(target) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let first;
    const req = http.request(
      target.url,
      { method: 'POST', agent, headers: { ...target.headers, 'content-type': 'application/json' } },
      (res) => {
        res.setEncoding('utf8').on('data', (d) => {
          if (first === undefined && d.includes('tok0')) first = performance.now() - started;
        });
        res.on('end', () => (first === undefined ? reject(new Error(`${target.name}: no token`)) : resolve(first)));
      },
    );
    req.on('error', reject);
    req.end(chatBody(true));
  });
}

function freePort() {
  return new Promise((resolve) => {
    const s = http.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function waitForPort(port) {
  for (let i = 0; i < 200; i++) {
    const ok = await new Promise((resolve) => {
      const req = http.get({ host: '127.0.0.1', port, path: '/' }, (res) => {
        res.resume();
        resolve(true);
      });
      req.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nothing listens on ${port}`);
}

function ensureWrk() {
  if (spawnSync('wrk', ['--version']).error === undefined) return;
  process.stderr.write("wrk is missing: installing Debian's package (apt-get install -y wrk)\n");
  const apt = (args) => spawnSync('apt-get', args, { stdio: 'inherit' });
  if (apt(['update']).status !== 0 || apt(['install', '-y', 'wrk']).status !== 0) {
    throw new Error('could not install wrk; install it yourself (apt-get install wrk) and run again');
  }
}

function ensurePortkey() {
  if (existsSync(join(ROOT, 'bench/portkey/node_modules/@portkey-ai/gateway/build/start-server.js'))) return;
  process.stderr.write(
    'installing the Portkey gateway into bench/portkey (its own lockfile, not a project dependency)\n',
  );
  execFileSync('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund'], {
    cwd: join(ROOT, 'bench/portkey'),
    stdio: 'inherit',
  });
}
