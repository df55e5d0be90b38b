// Start-up cost of the offline commands against bare Node, measured side by side in one run, in two states:
// "env key" (a key in the environment, no settings or key file) and "quick start" (the state a user is in after the
// README's quick start: a key stored in keys.json and a settings.json in place). Tables run on a colour terminal
// (FORCE_COLOR=1), which loads the table and colour code that the JSON commands never touch.
// Targets (issue 6): `--version`, `models --json` and `quota --json` at most 1.5x `node -e 0`; a table on a colour
// terminal at most 1.8x.
//   node bench/startup.mjs [rounds]
// BASELINE_BIN=/path/to/other/bin/llm-gateway.js adds each llm-gateway case run with that build too, interleaved in the
// same run, for a before/after comparison that the machine's load cannot skew (a copy of bin/ and dist/ from before
// a change is enough).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compare, table, timeOnce } from './lib.mjs';

const bin = fileURLToPath(new URL('../bin/llm-gateway.js', import.meta.url));
const base = { ...process.env };
for (const k of [
  'NO_COLOR',
  'FORCE_COLOR',
  'GROQ_API_KEY',
  'OPENAI_API_KEY',
  'SILICONFLOW_API_KEY',
  'MOONSHOT_API_KEY',
  'ALIYUN_API_KEY',
  'ANTHROPIC_API_KEY',
]) {
  delete base[k];
}
const node = (args, env) => ({ cmd: process.execPath, args, env });

/** The two states, in homes of their own for each build (an older build may not read a newer build's files). */
function states(binPath) {
  const envKey = {
    ...base,
    LLM_GATEWAY_HOME: mkdtempSync(join(tmpdir(), 'llmgw-bench-')),
    GROQ_API_KEY: 'gsk-bench-not-a-key',
  };
  const quick = { ...base, LLM_GATEWAY_HOME: mkdtempSync(join(tmpdir(), 'llmgw-bench-')) };
  // The quick start's first step stores the key (keys.json) and names the provider (settings.json); one ledger write
  // in each home, so quota reads a ledger as it would on a used installation.
  timeOnce({
    ...node([binPath, 'providers', 'add', 'groq', '--api-key-stdin'], quick),
    input: 'gsk-bench-not-a-key\n',
  });
  for (const env of [envKey, quick]) timeOnce(node([binPath, 'quota', 'reset', 'llama'], env));
  return { envKey, quick, colour: { ...quick, FORCE_COLOR: '1' } };
}

function gatewayCases(binPath, suffix = '') {
  const { envKey, quick, colour } = states(binPath);
  return [
    { name: `env key: --version${suffix}`, ...node([binPath, '--version'], envKey) },
    { name: `env key: models --json${suffix}`, ...node([binPath, 'models', '--json'], envKey) },
    { name: `env key: quota --json${suffix}`, ...node([binPath, 'quota', '--json'], envKey) },
    { name: `quick start: --version${suffix}`, ...node([binPath, '--version'], quick) },
    { name: `quick start: models --json${suffix}`, ...node([binPath, 'models', '--json'], quick) },
    { name: `quick start: quota --json${suffix}`, ...node([binPath, 'quota', '--json'], quick) },
    { name: `quick start, FORCE_COLOR=1: models${suffix}`, ...node([binPath, 'models'], colour) },
    { name: `quick start, FORCE_COLOR=1: quota${suffix}`, ...node([binPath, 'quota'], colour) },
  ];
}

const rounds = Number(process.argv[2] ?? 21);
const cases = [{ name: 'node -e 0', ...node(['-e', '0'], base) }, ...gatewayCases(bin)];
if (process.env.BASELINE_BIN) cases.push(...gatewayCases(process.env.BASELINE_BIN, ' (baseline)'));
const medians = compare(cases, { rounds });
const bare = medians['node -e 0'];
console.log(
  `start-up, median of ${rounds} interleaved runs (targets: JSON and --version <= 1.5x, tables <= 1.8x node -e 0)\n`,
);
console.log(
  table([
    ['command', 'median ms', 'vs node -e 0'],
    ...Object.entries(medians).map(([name, ms]) => [name, ms.toFixed(1), `${(ms / bare).toFixed(2)}x`]),
  ]),
);
