// A paid answer is never lost and never paid twice (issue 21, point 2). The disk fills while the provider answers
// (a real tiny tmpfs, filled by the fake upstream the moment the request arrives): the answer is printed — in
// `--json` too, with `usageRecorded: false` — with one instruction, not to ask again, and exit 0, which no script
// retries; a conversation that cannot be saved after the usage was recorded is a warning; `serve` returns what it
// paid for, with a warning header, and says "disk full" for the calls it then refuses to send.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { startFakeUpstream } from '../fake-upstream/index.ts';
import { runCli } from '../helpers/cli.ts';
import { KEYS } from '../helpers/chat-e2e.ts';
import { fillDisk, withTmpfs } from '../helpers/fs-faults.ts';
import { startServe } from '../helpers/serve.ts';

/** When set, the next chat request the fake receives first fills the disk, leaving about this many bytes. */
let fillOnRequest: { dir: string; leaveBytes: number } | undefined;
const fake = await startFakeUpstream({
  beforeAnswer: () => {
    if (!fillOnRequest) return;
    fillDisk(fillOnRequest.dir, fillOnRequest.leaveBytes);
    fillOnRequest = undefined;
  },
});
after(() => fake.close());

const env = { GROQ_API_KEY: KEYS.groq, GROQ_BASE_URL: fake.openaiBaseUrl };
const chat = (home: string, ...args: string[]) =>
  runCli(['chat', '-m', 'groq:llama-3.1-8b-instant', ...args], { home, env });
const show = (label: string, text: string) => process.stdout.write(`# ${label}:\n${text.replace(/^/gm, '#   ')}\n`);
/** A hint to run the command again, anywhere but in "do not run the command again". */
const RETRY_HINT = /(?<!not )run the command again/;

test('chat and chat --json: the disk fills mid-answer — the answer printed, "do not run the command again", exit 0', async (t) => {
  const ran = await withTmpfs(2048, async (fs) => {
    const home = join(fs.dir, 'home');
    const first = await chat(home, 'hi'); // creates the ledger
    assert.equal(first.code, 0, first.stderr);

    fillOnRequest = { dir: fs.dir, leaveBytes: 0 };
    const plain = await chat(home, 'hi');
    show('chat, stdout', plain.stdout);
    show('chat, stderr', plain.stderr);
    assert.equal(plain.code, 0, plain.stderr);
    assert.equal(plain.stdout, 'Hello, world\n');
    assert.match(plain.stderr, /warning: its usage could not be recorded: .*no space left on the device/);
    assert.match(plain.stderr, /the answer was delivered and paid for: do not run the command again to get it/);
    assert.doesNotMatch(plain.stderr, RETRY_HINT);
    assert.doesNotMatch(plain.stderr, /unexpected error|this is a bug/);

    // The disk still full: the next call stops before anything is sent (exit 3), as before. The command that just
    // ended folded its WAL into ledger.db, which freed the WAL's pages: fill those too.
    fillDisk(fs.dir);
    const requests = fake.requests.length;
    const refused = await chat(home, 'hi');
    assert.equal(refused.code, 3, refused.stderr);
    assert.equal(fake.requests.length, requests, 'a call the ledger could not record was sent');

    rmSync(join(fs.dir, 'filler'));
    fillOnRequest = { dir: fs.dir, leaveBytes: 0 };
    const json = await chat(home, '--json', 'hi');
    show('chat --json, stdout', json.stdout);
    show('chat --json, stderr', json.stderr);
    assert.equal(json.code, 0, json.stderr);
    const out = JSON.parse(json.stdout);
    assert.equal(out.text, 'Hello, world');
    assert.equal(out.usageRecorded, false);
    assert.equal(out.error, undefined);
    assert.match(json.stderr, /do not run the command again to get it/);
    assert.doesNotMatch(json.stderr, RETRY_HINT);
  });
  if (!ran) t.skip('needs root to mount a tmpfs');
});

test('a conversation that cannot be saved after the usage was recorded: the answer, a warning, exit 0', async (t) => {
  const ran = await withTmpfs(4096, async (fs) => {
    const home = join(fs.dir, 'home');
    assert.equal((await chat(home, 'hi')).code, 0);
    // Room for the usage rows, not for the 600 KB answer the conversation stores.
    fake.script({ text: Array.from({ length: 60 }, () => 'x'.repeat(10_000)), usage: { input: 8, output: 1_000 } });
    fillOnRequest = { dir: fs.dir, leaveBytes: 200_000 };
    const r = await chat(home, '--cid', 'notes', 'hi');
    show('chat, stderr', r.stderr);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.length, 600_001);
    assert.match(r.stderr, /warning: the conversation could not be saved: .*no space left on the device/);
    assert.match(r.stderr, /the answer was delivered and its usage recorded: do not run the command again/);
    assert.doesNotMatch(r.stderr, /usage could not be recorded/);
    assert.doesNotMatch(r.stderr, RETRY_HINT);
    rmSync(join(fs.dir, 'filler'));
    const quota = JSON.parse((await runCli(['quota', '--json'], { home, env })).stdout);
    const tier = quota.tiers.find((x: { model: string }) => x.model === 'llama-3.1-8b-instant');
    assert.equal(tier.used, 11 + 3 + 8 + 1_000, 'the call was recorded');
  });
  if (!ran) t.skip('needs root to mount a tmpfs');
});

test('serve: the disk fills mid-answer — the answer returned with a warning header; then 503 "disk full"', async (t) => {
  const ran = await withTmpfs(2048, async (fs) => {
    const home = join(fs.dir, 'home');
    const served = await startServe({ fake, home });
    try {
      const ask = (stream: boolean) =>
        fetch(`${served.url}/v1/chat/completions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${served.key}`, 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'auto', stream, messages: [{ role: 'user', content: 'hi' }] }),
        });
      const warm = await ask(false); // creates the ledger
      assert.equal(warm.status, 200, await warm.text());

      fillOnRequest = { dir: fs.dir, leaveBytes: 0 };
      const paid = await ask(false);
      const body = await paid.text();
      show(
        'serve, the answer',
        `${paid.status} x-llm-gateway-warning: ${paid.headers.get('x-llm-gateway-warning')}\n${body}`,
      );
      assert.equal(paid.status, 200, body);
      assert.equal(JSON.parse(body).choices[0].message.content, 'Hello, world');
      assert.match(
        paid.headers.get('x-llm-gateway-warning') ?? '',
        /usage not recorded.*do not send the request again/,
      );

      const refused = await ask(false);
      const refusal = await refused.text();
      show('serve, the next request', `${refused.status}\n${refusal}`);
      assert.equal(refused.status, 503, refusal);
      assert.match(JSON.parse(refusal).error.message, /disk is full/);

      rmSync(join(fs.dir, 'filler'));
      fillOnRequest = { dir: fs.dir, leaveBytes: 0 };
      const streamed = await ask(true);
      const events = await streamed.text();
      assert.equal(streamed.status, 200);
      assert.match(events, /"content":"Hello"/);
      assert.match(events, /data: \[DONE\]/);
      show('serve, its log', served.stdout());
      assert.match(served.stdout(), /200 POST \/v1\/chat\/completions .* usage not recorded: .*no space left/);
    } finally {
      await served.stop();
    }
  });
  if (!ran) t.skip('needs root to mount a tmpfs');
});
