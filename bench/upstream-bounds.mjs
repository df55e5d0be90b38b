// What a hostile upstream costs `chat` (issue 21, point 5): an endless SSE stream, a gzip bomb (an endless gzip body
// of SSE events) and one 100 MB SSE line, each served by a loopback server here. For each: chat's exit code, the
// time to its clean error, its peak RSS (VmHWM from /proc, polled), the error's last line, and whether the call's
// usage was settled (chat's closing line) and how the request log has the call. Figures, not a test: read them beside the machine's load average.
//   npm run build && node bench/upstream-bounds.mjs
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import http from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const BIN = process.env.BENCH_BIN ?? fileURLToPath(new URL('../bin/llm-gateway.js', import.meta.url));
const EVENT = `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: 'a' } }] })}\n\n`;
const HEAD = { 'content-type': 'text/event-stream' };

/** Writes `chunk` for as long as the client reads, honouring backpressure, until the client goes. */
function endless(target, chunk) {
  const pump = () => {
    while (!target.destroyed && target.write(chunk));
    if (!target.destroyed) target.once('drain', pump);
  };
  pump();
}

const CASES = {
  'endless stream': (res) => {
    res.writeHead(200, HEAD);
    endless(res, EVENT.repeat(1000));
  },
  'gzip bomb': (res) => {
    res.writeHead(200, { ...HEAD, 'content-encoding': 'gzip' });
    const gzip = zlib.createGzip({ level: 9 });
    gzip.pipe(res);
    res.on('close', () => gzip.destroy());
    endless(gzip, EVENT.repeat(10_000));
  },
  '100 MB line': (res) => {
    res.writeHead(200, HEAD);
    const mb = 'x'.repeat(1 << 20);
    let sent = 0;
    const pump = () => {
      while (!res.destroyed && sent < 100 && res.write(sent === 0 ? `data: ${mb}` : mb)) sent++;
      if (res.destroyed) return;
      if (sent < 100) res.once('drain', pump);
      else res.end('\n\n');
    };
    pump();
  },
};

let current = 'endless stream';
let compressedBytes = 0;
const server = http.createServer((req, res) => {
  req.resume();
  const write = res.write.bind(res);
  res.write = (chunk, ...rest) => {
    compressedBytes += Buffer.byteLength(chunk);
    return write(chunk, ...rest);
  };
  CASES[current](res);
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${server.address().port}/v1`;

function peakRss(pid) {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmHWM:\s+(\d+) kB/);
    return line ? Number(line[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

console.log(
  `load average ${loadavg()
    .map((n) => n.toFixed(2))
    .join(' ')}; node ${process.version}`,
);
console.log(
  '| upstream | upstream bytes sent | exit | time to error | chat peak RSS | usage settled (closing line); log | error |',
);
console.log('|---|---|---|---|---|---|---|');
for (const name of Object.keys(CASES)) {
  current = name;
  compressedBytes = 0;
  const home = mkdtempSync(join(tmpdir(), 'llmgw-bounds-'));
  const env = {
    PATH: process.env.PATH,
    HOME: home,
    LLM_GATEWAY_HOME: home,
    GROQ_API_KEY: 'gsk_bench_not_a_key_0000',
    GROQ_BASE_URL: base,
  };
  const start = process.hrtime.bigint();
  const child = spawn(process.execPath, [BIN, 'chat', '-m', 'groq:llama-3.1-8b-instant', 'hi'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'], // chat reads a piped stdin to its end: give it none
  });
  let peak = 0;
  let stderr = '';
  child.stdout.resume();
  child.stderr.on('data', (d) => (stderr += d));
  const poll = setInterval(() => (peak = Math.max(peak, peakRss(child.pid))), 20);
  const code = await new Promise((resolve) => child.on('exit', (c) => resolve(c)));
  clearInterval(poll);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  // The closing line says what the ledger settled; the request log's newest row, how the call ended.
  const closing = stderr.split('\n').find((l) => l.startsWith('── ')) ?? 'no closing line';
  const log = spawnSync(process.execPath, [BIN, 'log', '--json', '-n', '1'], { env, encoding: 'utf8' });
  const row = log.stdout.trim() ? JSON.parse(log.stdout.trim().split('\n').at(-1)) : undefined;
  const recorded = `${closing.replace(/^── \S+ · \S+ · /, '')}; logged ${row?.outcome ?? 'nothing'}`;
  const error = stderr
    .split('\n')
    .filter((l) => l && !l.startsWith('── '))
    .join(' ')
    .replace(/\s+/g, ' ');
  const mib = (n) => `${(n / 2 ** 20).toFixed(0)} MiB`;
  console.log(
    `| ${name} | ${mib(compressedBytes)} | ${code} | ${(ms / 1000).toFixed(2)} s | ${mib(peak)} | ${recorded} | ${error} |`,
  );
}
server.close();
server.closeAllConnections();
