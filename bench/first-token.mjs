// Process start -> first token of `llm-gateway chat "hi"`, against a local fake upstream with no added latency,
// side by side with a minimal openai-SDK script (target: <= 1.0x) and a plain node:http script (the floor;
// compass goal: within 1.6x of it). Run: node --import tsx bench/first-token.mjs [rounds]
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFakeUpstream } from '../test/fake-upstream/index.ts';
import { median, table } from './lib.mjs';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const fake = await startFakeUpstream();
const home = mkdtempSync(join(tmpdir(), 'llmgw-bench-'));
const env = {
  ...process.env,
  LLM_GATEWAY_HOME: home,
  GROQ_API_KEY: 'gsk-bench-not-a-key',
  GROQ_BASE_URL: fake.openaiBaseUrl,
};
for (const k of ['OPENAI_API_KEY', 'SILICONFLOW_API_KEY', 'MOONSHOT_API_KEY', 'ALIYUN_API_KEY', 'ANTHROPIC_API_KEY'])
  delete env[k];

const cases = [
  { name: 'plain node:http script (floor)', args: [here('clients/plain-http.mjs'), fake.openaiBaseUrl] },
  { name: 'openai SDK script', args: [here('clients/openai-sdk.mjs'), fake.openaiBaseUrl] },
  { name: 'llm-gateway chat "hi"', args: [here('../bin/llm-gateway.js'), 'chat', '-q', 'hi'] },
  // BASELINE_BIN=/path/to/other/bin/llm-gateway.js: another build in the same interleaved run (a before/after).
  ...(process.env.BASELINE_BIN
    ? [
        {
          name: 'llm-gateway chat "hi" (baseline)',
          args: [process.env.BASELINE_BIN, 'chat', '-q', 'hi'],
          // Its own config directory: the two builds' ledgers may differ in schema.
          env: { ...env, LLM_GATEWAY_HOME: mkdtempSync(join(tmpdir(), 'llmgw-bench-')) },
        },
      ]
    : []),
];

/** ms from spawn to the first byte on stdout, and to exit. */
function run({ args, env: own }) {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const ms = () => Number(process.hrtime.bigint() - start) / 1e6;
    const child = spawn(process.execPath, args, { env: own ?? env, stdio: ['ignore', 'pipe', 'pipe'] });
    let first;
    let err = '';
    child.stdout.once('data', () => (first = ms()));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) =>
      code === 0 && first
        ? resolve({ first, total: ms() })
        : reject(new Error(`${args.join(' ')}: exit ${code} ${err}`)),
    );
  });
}

const rounds = Number(process.argv[2] ?? 21);
const samples = Object.fromEntries(cases.map((c) => [c.name, { first: [], total: [] }]));
for (let r = 0; r < rounds + 3; r++) {
  for (const c of cases) {
    const t = await run(c);
    if (r >= 3) {
      samples[c.name].first.push(t.first);
      samples[c.name].total.push(t.total);
    }
  }
}
await fake.close();

const m = Object.fromEntries(
  Object.entries(samples).map(([k, v]) => [k, { first: median(v.first), total: median(v.total) }]),
);
const floor = m[cases[0].name].first;
const sdk = m[cases[1].name].first;
console.log(
  `first token, median of ${rounds} interleaved runs (targets: <= 1.0x the SDK script; goal <= 1.6x the floor)\n`,
);
console.log(
  table([
    ['client', 'first token ms', 'vs SDK script', 'vs floor', 'exit ms'],
    ...Object.entries(m).map(([k, v]) => [
      k,
      v.first.toFixed(1),
      `${(v.first / sdk).toFixed(2)}x`,
      `${(v.first / floor).toFixed(2)}x`,
      v.total.toFixed(1),
    ]),
  ]),
);
