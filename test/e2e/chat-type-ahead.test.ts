// Lines typed while an answer streams (issue 9.10): they used to be dropped, with a stray character of them left on
// the screen before the next answer. Now they are kept and sent in order once the answer ends, as a shell runs what
// was typed ahead, and nothing typed is drawn into the middle of an answer.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { ChatE2E } from '../helpers/chat-e2e.ts';
import { Terminal } from '../helpers/terminal.ts';

const e2e = new ChatE2E();
after(() => e2e.close());

const userTurns = (s: {
  fake: { requests: Array<{ format?: unknown; body: { messages: Array<{ role: string; content: string }> } }> };
}) =>
  s.fake.requests
    .filter((r) => r.format)
    .map((r) => r.body.messages.filter((m) => m.role === 'user').map((m) => m.content));

test('two lines typed while a slow answer streams were lost: both are sent in order, their answers follow in order, no stray character', async () => {
  const words = Array.from({ length: 30 }, (_, i) => `w${i} `);
  // The slow answer leaves a wide margin (30 chunks, 200 ms apart) for typing both lines while it streams.
  const s = await e2e.scenario({
    keys: ['groq'],
    steps: [{ text: words, chunkDelayMs: 200 }, { text: ['Second answer.'] }, { text: ['Third answer.'] }],
  });
  const t = new Terminal(s.env, s.home, ['-q']);
  try {
    await t.waitFor(/\/help for commands[\s\S]*› $/);
    t.type('First question\r');
    await t.waitFor(/w1 /);
    t.type('second line\r', { keepMark: true });
    await new Promise((r) => setTimeout(r, 300)); // typed, not pasted: well apart
    t.type('third line\r', { keepMark: true });
    const screen = await t.waitFor(/Third answer\.\n› $/);
    assert.equal(s.fake.requests.filter((r) => r.format).length, 3, 'three questions, three requests');
    assert.deepEqual(userTurns(s), [
      ['First question'],
      ['First question', 'second line'],
      ['First question', 'second line', 'third line'],
    ]);
    // The whole answer, untouched by what was typed meanwhile, then each line as it is sent and its answer.
    const first = words.join('');
    assert.ok(
      screen.includes(`${first}\n› second line\nSecond answer.\n› third line\nThird answer.\n› `),
      `the screen reads:\n${screen}`,
    );
    t.type('\x04');
    assert.equal(await t.exited, 0);
  } finally {
    e2e.outputs.push(t.everything);
    t.kill();
  }
});

test('Ctrl-C during an answer drops what was typed ahead, as a shell does, and the session goes on', async () => {
  const words = Array.from({ length: 40 }, (_, i) => `w${i} `);
  const s = await e2e.scenario({ keys: ['groq'], steps: [{ text: words, chunkDelayMs: 200 }, { text: ['Next.'] }] });
  const t = new Terminal(s.env, s.home, ['-q']);
  try {
    await t.waitFor(/\/help for commands[\s\S]*› $/);
    t.type('Long story\r');
    await t.waitFor(/w1 /);
    t.type('never sent\r', { keepMark: true });
    await new Promise((r) => setTimeout(r, 300));
    t.type('\x03', { keepMark: true });
    await t.waitFor(/\(stopped\)\n› $/);
    t.type('After\r');
    await t.waitFor(/Next\.\n› $/);
    assert.deepEqual(
      userTurns(s).map((turns) => turns.at(-1)),
      ['Long story', 'After'],
    );
    t.type('\x04');
    assert.equal(await t.exited, 0);
  } finally {
    e2e.outputs.push(t.everything);
    t.kill();
  }
});

test('no key canary on any screen or in any file', () => {
  e2e.assertNoCanaries();
});
