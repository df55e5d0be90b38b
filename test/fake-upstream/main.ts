// The fake upstream as its own process, for end-to-end runs of the real CLI binary:
//   node --import tsx test/fake-upstream/main.ts [script.json]
//   FAKE_UPSTREAM_SCRIPT='[{"fault":"rate_limit"},{"text":["hi"]}]' node --import tsx test/fake-upstream/main.ts
// Prints one JSON line on stdout once listening: {"port":N,"url":"http://127.0.0.1:N","openaiBaseUrl":...}.
// While running: GET /__fake/requests returns the recorded requests, POST /__fake/script queues more steps.
// FAKE_UPSTREAM_PORT pins the port (default: any free one). FAKE_UPSTREAM_DEFAULT (a Step as JSON) answers when the
// script is empty; FAKE_UPSTREAM_RECORD=0 keeps no record (for benchmarks). SIGTERM / SIGINT end it.

import { readFileSync } from 'node:fs';
import { startFakeUpstream } from './server.ts';
import type { Step } from './types.ts';

function loadScript(): Step[] {
  const file = process.argv[2];
  const text = file ? readFileSync(file, 'utf8') : process.env.FAKE_UPSTREAM_SCRIPT;
  if (!text?.trim()) return [];
  const parsed: unknown = JSON.parse(text);
  return (Array.isArray(parsed) ? parsed : [parsed]) as Step[];
}

const port = process.env.FAKE_UPSTREAM_PORT ? Number(process.env.FAKE_UPSTREAM_PORT) : 0;
const defaultStep = process.env.FAKE_UPSTREAM_DEFAULT
  ? (JSON.parse(process.env.FAKE_UPSTREAM_DEFAULT) as Step)
  : undefined;
const fake = await startFakeUpstream({
  port,
  steps: loadScript(),
  defaultStep,
  record: process.env.FAKE_UPSTREAM_RECORD !== '0',
});
process.stdout.write(
  JSON.stringify({
    port: fake.port,
    url: fake.url,
    openaiBaseUrl: fake.openaiBaseUrl,
    anthropicBaseUrl: fake.anthropicBaseUrl,
  }) + '\n',
);

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  void fake.close().then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
