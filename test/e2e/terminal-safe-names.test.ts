// Terminal safety, the last two paths (issue 21, point 9): a `--cid` value was printed raw in the interactive
// banner (an OSC title and a colour sequence ran), and `migrate` printed entry names from data/quota.json raw. Both
// now name an escape character (<U+001B>) instead of sending it.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ChatE2E } from '../helpers/chat-e2e.ts';
import { runCli, tempHome } from '../helpers/cli.ts';
import { copyFixture } from '../helpers/migrate.ts';
import { Terminal } from '../helpers/terminal.ts';

const e2e = new ChatE2E();
after(() => e2e.close());

const HOSTILE = '\u001b]0;pwned\u0007\u001b[31mred';

test('the interactive banner names the escape characters of a --cid, never sends them', async () => {
  const s = await e2e.scenario({ keys: ['groq'] });
  const first = await s.run(['chat', '--cid', HOSTILE, 'hi']); // a conversation with messages, to continue
  assert.equal(first.code, 0, first.stderr);
  const t = new Terminal(s.env, s.home, ['--cid', HOSTILE]);
  try {
    await t.waitFor(/continuing .* \(2 messages\)/);
    assert.ok(!t.everything.includes('\u001b]0;pwned'), 'the OSC title sequence reached the terminal');
    assert.ok(!t.everything.includes('\u001b[31mred'), 'the colour sequence reached the terminal');
    assert.match(t.everything, /<U\+001B>\]0;pwned<U\+0007><U\+001B>\[31mred/);
  } finally {
    e2e.outputs.push(t.everything);
    t.kill();
  }
});

test('migrate names the escape characters of an entry name from data/quota.json', async () => {
  const source = copyFixture();
  const quotaFile = join(source, 'data', 'quota.json');
  const quota = JSON.parse(readFileSync(quotaFile, 'utf8'));
  quota[`nowhere${HOSTILE}:llama`] = {
    totalQuota: 1000,
    usedQuota: 0,
    resetPeriod: 'daily',
    lastResetAt: '2026-02-15',
  };
  writeFileSync(quotaFile, JSON.stringify(quota));
  const r = await runCli(['migrate', '--from', source, '--dry-run'], { home: tempHome() });
  assert.equal(r.code, 0, r.stderr);
  assert.ok(!r.stdout.includes('\u001b'), 'an escape character reached stdout');
  assert.match(r.stdout, /nowhere<U\+001B>\]0;pwned<U\+0007><U\+001B>\[31mred/);
});
