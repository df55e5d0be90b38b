// `llm-gateway chat … | head`: the reader leaves early. No stack trace, the usage so far is recorded, nothing held.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, test } from 'node:test';
import { startFakeUpstream } from '../fake-upstream/index.ts';
import { BIN, cleanEnv, runCli, tempHome } from '../helpers/cli.ts';

const fake = await startFakeUpstream();
after(() => fake.close());

test('a reader that closes the pipe mid-answer ends the run quietly, with its usage recorded', async () => {
  const home = tempHome();
  const words = Array.from({ length: 60 }, (_, i) => `word${i} `);
  fake.script({ text: words, chunkDelayMs: 20 });
  const env = cleanEnv(home, { GROQ_API_KEY: 'gsk-CANARY-pipe-0c9d8e7f', GROQ_BASE_URL: fake.openaiBaseUrl });
  const shell = spawn(
    'bash',
    [
      '-c',
      `"${process.execPath}" "${BIN}" chat -m llama "tell me" </dev/null | head -c 12; echo "status=\${PIPESTATUS[0]}" >&2`,
    ],
    { env },
  );
  let stdout = '';
  let stderr = '';
  shell.stdout.on('data', (d) => (stdout += d));
  shell.stderr.on('data', (d) => (stderr += d));
  await new Promise((resolve) => shell.on('close', resolve));

  assert.equal(stdout, 'word0 word1 ');
  assert.match(stderr, /status=0\n$/);
  assert.doesNotMatch(stderr, /EPIPE|\n\s+at /, 'no stack trace');
  const quota = JSON.parse(
    (await runCli(['quota', '--json'], { home, env: { GROQ_API_KEY: 'gsk-CANARY-pipe-0c9d8e7f' } })).stdout,
  );
  const llama = quota.tiers.find((t: { model: string }) => t.model === 'llama-3.1-8b-instant');
  assert.ok(llama.used > 0, 'the tokens of the partial answer were counted');
  assert.equal(llama.reserved, 0, 'nothing is held for a call that ended');
});
