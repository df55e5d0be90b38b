// SIGHUP (the terminal closed, an SSH connection dropped) is handled like SIGTERM (issue 21, point 6): it killed
// `chat`, the interactive session and `serve` at once, with no usage recorded and the free-tier reservation held
// for 15 minutes. Now the answer stops, what it used is recorded and nothing stays reserved.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { ChatE2E, LLAMA } from '../helpers/chat-e2e.ts';
import { startServe } from '../helpers/serve.ts';
import { Terminal } from '../helpers/terminal.ts';

const e2e = new ChatE2E();
after(() => e2e.close());

const WORDS = Array.from({ length: 40 }, (_, i) => `w${i} `);

test('chat: SIGHUP mid-answer stops it, exit 130, its usage recorded, nothing left reserved', async () => {
  const s = await e2e.scenario({ keys: ['groq'], steps: [{ text: WORDS, chunkDelayMs: 100 }] });
  const r = await s.run(['chat', 'a long story'], { interruptOn: /w2 /, interruptWith: 'SIGHUP' });
  assert.equal(r.code, 130, r.stderr);
  assert.ok(!r.stdout.includes('w39'));
  assert.deepEqual(
    s.usageRows().map((u) => [u.model, u.outcome]),
    [[LLAMA, 'aborted']],
  );
  assert.equal((await s.quota()).get(`groq:${LLAMA}`)!.reserved, 0);
});

test('the interactive session: the terminal closing mid-answer records what it used and leaves', async () => {
  const s = await e2e.scenario({ keys: ['groq'], steps: [{ text: WORDS, chunkDelayMs: 100 }] });
  const t = new Terminal(s.env, s.home);
  try {
    await t.waitFor(/\/help for commands[\s\S]*› $/);
    t.type('Tell me a long story\r');
    await t.waitFor(/w2 /);
    t.kill(); // the pseudo-terminal hangs up: SIGHUP
    await t.exited;
  } finally {
    e2e.outputs.push(t.everything);
  }
  assert.deepEqual(
    s.usageRows().map((u) => [u.model, u.outcome]),
    [[LLAMA, 'aborted']],
  );
  assert.equal((await s.quota()).get(`groq:${LLAMA}`)!.reserved, 0);
});

test('serve: SIGHUP stops it as SIGTERM does (the answer in flight finishes), exit 0', async () => {
  const served = await startServe();
  try {
    served.child.kill('SIGHUP');
    assert.equal(await served.exited, 0, served.stderr());
    assert.match(served.stderr(), /SIGHUP: stopping/);
  } finally {
    await served.stop();
  }
});
