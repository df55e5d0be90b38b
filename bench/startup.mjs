// Start-up cost of the offline commands against bare Node, measured side by side in one run.
// Target (issue 2): `models --json` and `quota --json` within 1.5x of `node -e 0`.
//   node bench/startup.mjs [rounds]
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compare, table } from './lib.mjs';

const bin = fileURLToPath(new URL('../bin/llm-gateway.js', import.meta.url));
const home = mkdtempSync(join(tmpdir(), 'llmgw-bench-'));
const env = { ...process.env, LLM_GATEWAY_HOME: home, GROQ_API_KEY: 'gsk-bench-not-a-key' };
const node = (args) => ({ cmd: process.execPath, args, env });

// One real call first, so the ledger exists and quota reads it as it would on a used installation.
compare([{ name: 'init', ...node([bin, 'quota', 'reset', 'llama']) }], { rounds: 1, warmup: 0 });

const rounds = Number(process.argv[2] ?? 21);
const medians = compare(
  [
    { name: 'node -e 0', ...node(['-e', '0']) },
    { name: 'llm-gateway --version', ...node([bin, '--version']) },
    { name: 'llm-gateway models --json', ...node([bin, 'models', '--json']) },
    { name: 'llm-gateway quota --json', ...node([bin, 'quota', '--json']) },
    { name: 'llm-gateway quota', ...node([bin, 'quota']) },
  ],
  { rounds },
);
const base = medians['node -e 0'];
console.log(`start-up, median of ${rounds} interleaved runs (target: <= 1.5x node -e 0)\n`);
console.log(
  table([
    ['command', 'median ms', 'vs node -e 0'],
    ...Object.entries(medians).map(([name, ms]) => [name, ms.toFixed(1), `${(ms / base).toFixed(2)}x`]),
  ]),
);
