// Flags that used to be taken for something else, silently (issue 9.9 d-h): each is now exit 2 with the fix, and
// nothing is sent or stored.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { lossyArgument } from '../../src/cli/argv-encoding.ts';
import { BIN, cleanEnv, runCli, tempHome, type CliResult } from '../helpers/cli.ts';

test('--temperature "" is refused instead of being sent as 0', async () => {
  const home = tempHome();
  for (const value of ['', ' ', '0x1']) {
    const run = await runCli(['chat', '--explain', '--temperature', value, 'hi'], { home });
    assert.equal(run.code, 2, `--temperature ${JSON.stringify(value)}: ${run.stderr}`);
    assert.match(run.stderr, /--temperature must be a number from 0 to 2/);
  }
  const fine = await runCli(['chat', '--explain', '--json', '--temperature', '.5', 'hi'], { home });
  assert.notEqual(fine.code, 2, fine.stderr);
});

test('-m "" is refused instead of meaning auto (and so is --scenario "")', async () => {
  const home = tempHome();
  const model = await runCli(['chat', '--explain', '-m', '', 'hi'], { home });
  assert.equal(model.code, 2);
  assert.match(model.stderr, /--model needs a value, got an empty one/);
  assert.match(model.stderr, /-m auto/);
  const scenario = await runCli(['chat', '--explain', '--scenario', ' ', 'hi'], { home });
  assert.equal(scenario.code, 2);
  assert.match(scenario.stderr, /--scenario needs a value/);
});

test('--cid "" is refused instead of meaning no conversation (the answer was silently not stored)', async () => {
  const home = tempHome();
  const run = await runCli(['chat', '--explain', '--cid', '', 'hi'], { home });
  assert.equal(run.code, 2, run.stderr);
  assert.match(run.stderr, /--cid needs a conversation id/);
});

test('providers add --model a=b=c is refused instead of being stored as a=b', async () => {
  const home = tempHome();
  for (const spec of ['a=b=c', 'a=', 'a=up id']) {
    const run = await runCli(
      ['providers', 'add', 'local', '--base-url', 'http://127.0.0.1:9/v1', '--no-key', '--model', spec],
      { home },
    );
    assert.equal(run.code, 2, `${spec}: ${run.stderr}`);
    assert.match(run.stderr, /--model/);
  }
  assert.equal(existsSync(join(home, 'settings.json')), false, 'a refused add stored something');
});

test('providers add --free or --context without --model exits 2 with the fix instead of being ignored', async () => {
  const home = tempHome();
  for (const flags of [['--free'], ['--context', '32000']]) {
    const run = await runCli(
      ['providers', 'add', 'local', '--base-url', 'http://127.0.0.1:9/v1', '--no-key', ...flags],
      { home },
    );
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, new RegExp(`${flags[0]} describes the --model models, and none was given`));
    assert.match(run.stderr, /--model glm-4-flash/);
  }
  assert.equal(existsSync(join(home, 'settings.json')), false);
  const ok = await runCli(
    [
      'providers',
      'add',
      'local',
      '--base-url',
      'http://127.0.0.1:9/v1',
      '--no-key',
      '--free',
      '--context',
      '32000',
      '-m',
      'm1',
    ],
    { home },
  );
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(readFileSync(join(home, 'settings.json'), 'utf8'), /"contextWindow": 32000/);
});

/** Runs the binary with one argument given as raw bytes (a shell's printf), as a non-UTF-8 terminal would pass it. */
function runWithRawArgument(before: string[], printfBytes: string): Promise<CliResult> {
  const home = tempHome();
  return new Promise((resolve, reject) => {
    const script = `exec "$0" "$@" "$(printf '${printfBytes}')"`;
    const child = spawn('/bin/sh', ['-c', script, process.execPath, BIN, ...before], {
      env: cleanEnv(home),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

test('a prompt argument that is not UTF-8 is refused instead of being sent with U+FFFD', {
  skip: process.platform === 'win32',
}, async () => {
  const latin1 = await runWithRawArgument(['chat', '--explain'], 'caf\\351'); // "café" in Latin-1
  assert.equal(latin1.code, 2, latin1.stderr);
  assert.match(latin1.stderr, /argument 3 \("caf\\uFFFD"\) is not valid UTF-8/);
  assert.match(latin1.stderr, /iconv/);
  if (process.platform === 'linux') {
    // A U+FFFD the user really typed (valid UTF-8 bytes EF BF BD) is theirs to send.
    const typed = await runWithRawArgument(['chat', '--explain'], 'caf\\357\\277\\275');
    assert.doesNotMatch(typed.stderr, /not valid UTF-8/);
  }
});

test('the raw bytes decide: a literal U+FFFD passes, a replaced byte does not, and with no raw bytes U+FFFD is refused', () => {
  const args = ['chat', 'caf\uFFFD'];
  assert.equal(lossyArgument(['chat', 'hello']), undefined);
  assert.equal(
    lossyArgument(args, () => [Buffer.from('chat'), Buffer.from([0x63, 0x61, 0x66, 0xe9])]),
    1,
  );
  assert.equal(
    lossyArgument(args, () => [Buffer.from('chat'), Buffer.from('caf\uFFFD')]),
    undefined,
  );
  assert.equal(
    lossyArgument(args, () => undefined),
    1,
  );
  // Entries that do not line up with argv are not trusted.
  assert.equal(
    lossyArgument(args, () => [Buffer.from('other'), Buffer.from('caf\uFFFD')]),
    1,
  );
});
