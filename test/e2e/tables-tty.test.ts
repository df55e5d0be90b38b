// `models` on a real (pseudo-)terminal with a custom model whose name and capability are Chinese with an emoji:
// every row fits the terminal and every column lines up, measured in DISPLAY columns (a CJK character or an emoji
// takes two), the way the person in front of it sees the table.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cleanEnv, runCli, tempHome } from '../helpers/cli.ts';
import { ptyBin } from '../helpers/terminal.ts';
import { cells, displayWidth } from '../helpers/display-width.ts';

const NAME = '通义千问 实验版 🚀 七十亿参数';

/** A home whose settings.json adds a provider and a model named in Chinese with an emoji. */
function wideHome(): string {
  const home = tempHome();
  const settings = {
    providers: { lab: { name: '实验室', protocol: 'openai', baseUrl: 'http://127.0.0.1:9/v1' } },
    models: [
      {
        id: 'qwen-lab-7b',
        name: NAME,
        contextWindow: 32768,
        capabilities: ['chat', '中文'],
        deployments: [{ provider: 'lab', price: { input: 0, output: 0 } }],
      },
    ],
  };
  writeFileSync(join(home, 'settings.json'), JSON.stringify(settings));
  return home;
}

// eslint-disable-next-line no-control-regex
const SGR = /\u001b\[[0-9;]*m/g;

/** Runs `llm-gateway args` on a terminal `cols` wide: the lines it showed as text, and as sent (colour codes and all). */
function onTerminal(
  home: string,
  cols: number,
  args: string[],
  extra: Record<string, string> = {},
): Promise<{ code: number; lines: string[]; raw: string[] }> {
  const { CI: _ci, ...env } = cleanEnv(home, { COLUMNS: String(cols), TERM: 'xterm-256color', ...extra });
  const term = ptyBin([...args], env, { cols, rows: 60 });
  let screen = '';
  term.onData((d) => (screen += d));
  return new Promise((resolve) =>
    term.onExit(({ exitCode }) => {
      const raw = screen.split(/\r?\n/).filter((l) => l.trim());
      resolve({ code: exitCode, raw, lines: raw.map((l) => l.replace(SGR, '')) });
    }),
  );
}

/**
 * Every row's cells start (left-aligned) or end (right-aligned) in the display column where the header's do, with
 * the two-space gap before them blank.
 */
function assertAligned(lines: string[], rightAligned: string[] = []): void {
  const header = cells(lines[0]!);
  const titles = [...lines[0]!.matchAll(/\S+(?: \S+)*/g)].map((m) => m[0]);
  let from = 0;
  const columns = titles.map((title) => {
    const start = header.join('').indexOf(title, from); // the header is ASCII: one cell a character
    from = start + title.length;
    return { title, start, end: start + title.length };
  });
  for (const line of lines.slice(1)) {
    const row = cells(line);
    const at = (i: number) => row[i] ?? ' ';
    for (const [i, col] of columns.entries()) {
      const where = `${col.title} in "${line}"`;
      if (rightAligned.includes(col.title)) {
        assert.notEqual(at(col.end - 1), ' ', `${where} does not end under its header`);
        assert.equal(at(col.end), ' ', `${where} runs past its header`);
      } else {
        assert.notEqual(at(col.start), ' ', `${where} does not start under its header`);
      }
      if (i > 0) assert.equal(`${at(col.start - 2)}${at(col.start - 1)}`.trim(), '', `${where}: no gap before it`);
    }
  }
}

test('models at 120 columns on a terminal: every row at most 120 display columns, columns aligned, ids whole', async () => {
  const home = wideHome();
  const { code, lines } = await onTerminal(home, 120, ['models']);
  assert.equal(code, 0, lines.join('\n'));
  assert.ok(lines.length > 10, lines.join('\n'));
  for (const line of lines) assert.ok(displayWidth(line) <= 120, `${displayWidth(line)} columns: "${line}"`);
  assertAligned(lines, ['CONTEXT']);
  const lab = lines.find((l) => l.startsWith('qwen-lab-7b '));
  assert.ok(lab, 'the custom model is listed with its id whole');
  assert.match(lab, /中文/);
  for (const id of ['claude-haiku-5-5', 'llama-3.3-70b-versatile', 'Qwen2.5-7B-Instruct']) {
    assert.ok(
      lines.some((l) => l.startsWith(`${id} `)),
      `${id} was cut`,
    );
  }
});

test('wide enough for NAME, the Chinese name with its emoji is shown whole and the columns after it still align', async () => {
  const home = wideHome();
  const { code, lines } = await onTerminal(home, 200, ['models']);
  assert.equal(code, 0, lines.join('\n'));
  assert.match(lines[0]!, /^MODEL +NAME +PROVIDER/);
  for (const line of lines) assert.ok(displayWidth(line) <= 200, `${displayWidth(line)} columns: "${line}"`);
  assert.ok(
    lines.some((l) => l.includes(NAME)),
    'the name is whole',
  );
  assertAligned(lines, ['CONTEXT']);

  // Narrower, NAME is cut with … by display width, never through the middle of a character, and still aligns.
  const narrow = await onTerminal(home, 150, ['models', '-p', 'lab']);
  assert.equal(narrow.code, 0);
  for (const line of narrow.lines) assert.ok(displayWidth(line) <= 150, `"${line}"`);
  assertAligned(narrow.lines, ['CONTEXT']);
});

test('in colour (FORCE_COLOR=1) the table is painted and its text lines up exactly as without colour', async () => {
  const home = wideHome();
  const plain = await onTerminal(home, 120, ['models'], { NO_COLOR: '1' });
  const painted = await onTerminal(home, 120, ['models'], { FORCE_COLOR: '1' });
  assert.equal(painted.code, 0);
  assert.ok(
    painted.raw.some((l) => /\u001b\[3[0-9]m/.test(l)),
    'painted',
  );
  assert.ok(
    plain.raw.every((l) => !l.includes('\u001b[')),
    'NO_COLOR paints nothing',
  );
  assert.deepEqual(painted.lines, plain.lines);
});

test('piped, the table is full width whatever COLUMNS says, still aligned by display width', async () => {
  const home = wideHome();
  const run = await runCli(['models'], { home, env: { COLUMNS: '40' } });
  assert.equal(run.code, 0, run.stderr);
  const lines = run.stdout.trimEnd().split('\n');
  assert.match(lines[0]!, /^MODEL +NAME +PROVIDER +KEY +CONTEXT/);
  assert.ok(lines.some((l) => l.includes(NAME)));
  assert.doesNotMatch(run.stdout, /…|\u001b/);
  assertAligned(lines, ['CONTEXT']);
});
