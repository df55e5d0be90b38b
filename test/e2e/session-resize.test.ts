// The interactive session's tables follow the terminal's width as it is when they are drawn: a window made narrower
// mid-session gets a table that fits it, not one laid out for the width the session started with (issue 21, 10).
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { ChatE2E } from '../helpers/chat-e2e.ts';
import { Terminal } from '../helpers/terminal.ts';

const e2e = new ChatE2E();
after(() => e2e.close());

/** The widest line of a screen, in characters (the table's text is ASCII, its bars one column each). */
const widest = (screen: string) => Math.max(...screen.split('\n').map((line) => line.length));

test('a table drawn after the terminal is resized fits the new width', async () => {
  const s = await e2e.scenario({ keys: ['groq'] });
  const t = new Terminal(s.env, s.home);
  try {
    await t.waitFor(/› $/);
    const wide = await t.ask('/quota', /MODEL/);
    assert.ok(widest(wide) > 80, `at 120 columns the quota table used only ${widest(wide)}:\n${wide}`);
    t.resize(80);
    // The resize reaches the session as a signal, which may be handled after a line typed at once: readline redraws
    // its prompt when it sees the new width, so wait for that.
    await t.waitFor(/› $/);
    const narrow = await t.ask('/quota', /MODEL/);
    assert.ok(widest(narrow) <= 80, `after a resize to 80 columns a line is ${widest(narrow)} wide:\n${narrow}`);
  } finally {
    e2e.outputs.push(t.everything);
    t.kill();
  }
});
