// The interactive `llm-gateway chat` session, driven through a pseudo-terminal the way a person uses it: wait for the
// prompt, type, read the answer on the screen, use the slash commands, paste a block, press Ctrl-C and Ctrl-D.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ChatE2E, lastMessages, LLAMA, MOONSHOT } from '../helpers/chat-e2e.ts';
import { Terminal } from '../helpers/terminal.ts';

const e2e = new ChatE2E();
after(() => e2e.close());

async function session(
  s: Awaited<ReturnType<ChatE2E['scenario']>>,
  body: (t: Terminal) => Promise<void>,
): Promise<void> {
  const t = new Terminal(s.env, s.home);
  try {
    await t.waitFor(/llm-gateway chat · model auto · \/help for commands[\s\S]*› $/);
    await body(t);
  } finally {
    e2e.outputs.push(t.everything);
    t.kill();
  }
}

test('a session: ask, read the streamed answer, /help, /model, a pasted block is one message, Ctrl-D leaves with 0', async () => {
  const s = await e2e.scenario({ keys: ['groq', 'moonshot'], steps: [{ text: ['The answer', ' is 42.'] }] });
  await session(s, async (t) => {
    const first = await t.ask(
      'What is the answer?',
      /The answer is 42\.\n── llama-3\.1-8b-instant · groq · 11 in \+ 2 out tokens · free tier: [\d,]+ left\n/,
    );
    assert.doesNotMatch(first, /error/);
    assert.deepEqual(s.models(), [LLAMA]);

    const help = await t.ask('/help', /commands:/);
    assert.match(help, /\/model \[id\|auto\]/);
    assert.match(help, /\/exit/);

    await t.ask('/model moonshot-v1-8k', /model: moonshot-v1-8k\n/);
    await t.ask('And why?', /Hello, world\n── moonshot-v1-8k · moonshot · /);
    assert.equal(s.models().at(-1), MOONSHOT, '/model picks who answers');
    assert.deepEqual(
      lastMessages(s.fake).map((m) => m.content),
      ['What is the answer?', 'The answer is 42.', 'And why?'],
    );
    await t.ask('/model auto', /model: auto\n/);

    // A block pasted at once arrives as several lines in one read: it is one message, not three questions.
    const before = s.fake.requests.length;
    t.type('Fix this code:\r  const a = 1\r  a = 2\r');
    await t.waitFor(/Hello, world\n── llama-3\.1-8b-instant[\s\S]*\n› $/);
    assert.equal(s.fake.requests.length, before + 1, 'one request for the pasted block');
    const messages = lastMessages(s.fake);
    assert.deepEqual(messages.at(-1), { role: 'user', content: 'Fix this code:\n  const a = 1\n  a = 2' });
    assert.equal(messages.filter((m) => m.role === 'user').length, 3);

    t.type('\x04');
    assert.equal(await t.exited, 0);
  });

  const history = join(s.home, 'chat-history');
  assert.ok(existsSync(history), 'the input history is kept in LLM_GATEWAY_HOME');
  const lines = readFileSync(history, 'utf8').split('\n').filter(Boolean);
  assert.deepEqual(lines, ['What is the answer?', 'And why?', 'Fix this code:\\n  const a = 1\\n  a = 2']);

  // The session was a conversation like any other: `chat -c` picks it up.
  const next = await s.run(['chat', '-c', 'One more thing']);
  assert.equal(next.code, 0, next.stderr);
  const history2 = lastMessages(s.fake).map((m) => m.content);
  assert.deepEqual(history2.slice(0, 2), ['What is the answer?', 'The answer is 42.']);
  assert.equal(history2.at(-1), 'One more thing');

  // And `chat -c` on a terminal opens the session where it stopped.
  const again = new Terminal(s.env, s.home, ['-c']);
  try {
    await again.waitFor(/continuing [0-9a-f]{8} \(8 messages\)[\s\S]*› $/);
    await again.ask('Last one', /Hello, world\n── /);
    const resumed = lastMessages(s.fake).map((m) => m.content);
    assert.deepEqual(resumed.slice(0, 2), ['What is the answer?', 'The answer is 42.']);
    assert.equal(resumed.length, 9, 'the 8 stored messages and the new question');
    again.type('\x04');
    assert.equal(await again.exited, 0);
  } finally {
    e2e.outputs.push(again.everything);
    again.kill();
  }
});

test('Ctrl-C stops a slow answer and the prompt returns; its usage is recorded; the session goes on', async () => {
  const words = Array.from({ length: 40 }, (_, i) => `w${i} `);
  const s = await e2e.scenario({
    keys: ['groq'],
    steps: [{ stall: true }, { text: words, chunkDelayMs: 100 }, { text: ['Sure.'] }],
  });
  await session(s, async (t) => {
    // Before the first token (the provider has not answered yet): a stop, not an error.
    t.type('Hello?\r');
    await t.waitFor(/asking llama-3\.1-8b-instant/);
    t.type('\x03');
    const waiting = await t.waitFor(/\(stopped\)\n› $/);
    assert.doesNotMatch(waiting, /error/);

    t.type('Tell me a long story\r');
    await t.waitFor(/w2 /);
    const pressed = Date.now();
    t.type('\x03');
    const stopped = await t.waitFor(/\(stopped\)\n› $/);
    assert.ok(Date.now() - pressed < 2000, `Ctrl-C took ${Date.now() - pressed} ms to stop the answer`);
    assert.doesNotMatch(stopped, /w39/, 'the rest of the answer never shows');
    assert.match(stopped, /── llama-3\.1-8b-instant · groq · ~\d+ in \+ ~\d+ out tokens \(estimated\)/);

    const rows = s.usageRows();
    assert.equal(rows.length, 1);
    assert.deepEqual([rows[0]!.outcome, rows[0]!.estimated], ['aborted', 1]);
    assert.ok(rows[0]!.output_tokens > 0);

    // Ctrl-C at an empty prompt does not leave.
    t.type('\x03');
    await t.waitFor(/Ctrl-D or \/exit to leave[\s\S]*› $/);

    // What was shown stays in the conversation.
    await t.ask('Shorter, please', /Sure\.\n── /);
    const messages = lastMessages(s.fake);
    assert.equal(messages.length, 3, 'the unanswered question is not in the conversation');
    assert.equal(messages[0]!.content, 'Tell me a long story');
    assert.match(messages[1]!.content, /^w0 w1 w2 /);
    assert.ok(!messages[1]!.content.includes('w39'));
    assert.deepEqual(messages[2], { role: 'user', content: 'Shorter, please' });

    t.type('\x04');
    assert.equal(await t.exited, 0);
  });
});

test('the session honours settings.json defaultModel, and a stale one is a settings problem, as in one-shot chat', async () => {
  const s = await e2e.scenario({ keys: ['groq', 'moonshot'] });
  writeFileSync(join(s.home, 'settings.json'), JSON.stringify({ defaultModel: 'moonshot-v1-8k' }));
  const t = new Terminal(s.env, s.home);
  try {
    await t.waitFor(/llm-gateway chat · model moonshot-v1-8k · \/help for commands[\s\S]*› $/);
    await t.ask('Hi', /Hello, world\n── moonshot-v1-8k · moonshot · /);
    t.type('\x04');
    assert.equal(await t.exited, 0);
  } finally {
    e2e.outputs.push(t.everything);
    t.kill();
  }

  // A defaultModel the catalog no longer has: exit 3 naming the file and the field before any prompt shows,
  // instead of a session whose every question fails with an unknown model.
  writeFileSync(join(s.home, 'settings.json'), JSON.stringify({ defaultModel: 'gpt-5-ultra' }));
  const stale = new Terminal(s.env, s.home);
  try {
    // Either the error or a prompt shows first; the prompt would mean the stale model was taken as it is.
    const screen = await stale.waitFor(/defaultModel unknown model|› $/);
    assert.doesNotMatch(screen, /› /);
    assert.equal(await stale.exited, 3);
    assert.match(stale.screen, /settings\.json: defaultModel unknown model "gpt-5-ultra"/);
  } finally {
    e2e.outputs.push(stale.everything);
    stale.kill();
  }
});

test('no key canary on any screen, in any output or in any file of any config directory', () => {
  e2e.assertNoCanaries();
});
