// `quota` on a real (pseudo-)terminal 100 columns wide with OpenRouter's long `vendor/model:free` ids: every line fits,
// each limit keeps its bar and its reset, and a long id is shown whole on a line of its own above its limits.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cleanEnv, tempHome } from '../helpers/cli.ts';
import { displayWidth } from '../helpers/display-width.ts';
import { ptyBin } from '../helpers/terminal.ts';

const LONG_ID = 'meta-llama/llama-3.3-70b-instruct:free'; // 38 characters, as OpenRouter names its :free models
const OTHER_ID = 'qwen/qwen3-coder-480b-a35b:free'; // 31

function homeWithLongIds(): string {
  const home = tempHome();
  const limits = [
    { unit: 'requests', per: 'minute', limit: 20, resets: 'rolling' },
    { unit: 'requests', per: 'day', limit: 50, resets: 'boundary', timeZone: 'UTC' },
  ];
  const settings = {
    models: [LONG_ID, OTHER_ID].map((id) => ({
      id,
      contextWindow: 131072,
      deployments: [{ provider: 'openrouter', price: { input: 0, output: 0 } }],
    })),
    freeTiers: [LONG_ID, OTHER_ID].map((model) => ({ provider: 'openrouter', model, anchor: '2026-01-01', limits })),
  };
  writeFileSync(join(home, 'settings.json'), JSON.stringify(settings));
  return home;
}

// eslint-disable-next-line no-control-regex
const SGR = /\u001b\[[0-9;]*m/g;

function quotaOn(home: string, cols: number): Promise<{ code: number; lines: string[] }> {
  const { CI: _ci, ...env } = cleanEnv(home, { COLUMNS: String(cols), TERM: 'xterm-256color' });
  const term = ptyBin(['quota'], env, { cols, rows: 80 });
  let screen = '';
  term.onData((d) => (screen += d));
  return new Promise((resolve) =>
    term.onExit(({ exitCode }) => {
      const lines = screen
        .split(/\r?\n/)
        .filter((l) => l.trim())
        .map((l) => l.replace(SGR, ''));
      resolve({ code: exitCode, lines });
    }),
  );
}

test('quota at 100 columns: long ids on their own lines, every limit with its bar and reset', async () => {
  const { code, lines } = await quotaOn(homeWithLongIds(), 100);
  assert.equal(code, 0, lines.join('\n'));
  for (const line of lines) assert.ok(displayWidth(line) <= 100, `${displayWidth(line)} columns: "${line}"`);
  assert.match(lines[0]!, /^MODEL +PROVIDER +LIMIT +REMAINING +USAGE +RESETS +STATUS$/);
  const at = lines.indexOf(LONG_ID);
  assert.ok(at > 0, `${LONG_ID} is shown whole on a line of its own:\n${lines.join('\n')}`);
  // Its two limits follow, under the columns, each with its bar and when it resets.
  assert.match(lines[at + 1]!, /^ +openrouter +rpm +20 +░{12} +rolling +no key$/);
  assert.match(lines[at + 2]!, /^ +rpd +50 +░{12} +00:00 UTC$/);
  // Short ids keep their place in the MODEL column, and so do the built-in tiers' rows.
  assert.ok(
    lines.some((l) => /^llama-3\.1-8b-instant +groq +tokens\/month +1,000,000 +░{12} +2026-12-15 +no key$/.test(l)),
  );
  // Gemini's day resets at midnight Pacific, said in the zone's own short name.
  assert.ok(
    lines.some((l) => / rpd +250 +░{12} +00:00 PST$/.test(l)),
    lines.join('\n'),
  );
});

test('quota wide enough for every id: one line per limit, ids in the MODEL column', async () => {
  const { code, lines } = await quotaOn(homeWithLongIds(), 200);
  assert.equal(code, 0, lines.join('\n'));
  assert.ok(!lines.includes(LONG_ID), 'no id line of its own when the table fits');
  assert.ok(lines.some((l) => l.startsWith(`${LONG_ID} `) && /openrouter +rpm/.test(l)));
});
