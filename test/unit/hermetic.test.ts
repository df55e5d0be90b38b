// The project stands alone: a fresh clone, with nothing beside it, passes its tests. So no file of code (src/, test/,
// bench/, scripts/, bin/, .ci/, package.json, tsconfig.json) names a path outside the repository. The rule, checked
// on every file but Markdown (prose: bench/RESULTS.md records where a measurement was made):
// 1. A relative path that climbs (`../x`, or a lone '..'), resolved from the file's own folder as imports and
//    `new URL(x, import.meta.url)` resolve it, stays inside the repository (src/cli/chat's `../common/` is
//    src/cli/common, inside; test/helpers once climbed three folders to a `shared` folder beside the clone).
// 2. No absolute path under the places people keep checkouts and data (the FOREIGN roots below), in code or
//    comment: a path that exists on one machine is missing on the next.
// 3. No string that starts with the system temp folder's path: tests make their own with mkdtemp(tmpdir()).
// /dev and /proc are allowed: every Linux machine has /dev/null, /dev/full and /proc/self.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CHECKED = ['src', 'test', 'bench', 'scripts', 'bin', '.ci', 'package.json', 'tsconfig.json'];
/** Not the project's: installed or built (as .gitignore says). */
const SKIPPED = /^(node_modules|dist)$|\.log$/;
// Spelt as names, so this file does not trip its own rule.
const FOREIGN = ['work', 'home', 'root', 'Users', 'mnt', 'media', 'srv', 'opt'];
const TEMP = 'tmp';

function filesUnder(rel: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(join(ROOT, rel));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOTDIR') return [rel];
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return entries.filter((name) => !SKIPPED.test(name)).flatMap((name) => filesUnder(join(rel, name)));
}

/** What `text`, the file at `rel` (relative to the repository), says that reaches outside the repository. */
function outsideReferences(rel: string, text: string): string[] {
  const found: string[] = [];
  const here = dirname(join(ROOT, rel));
  // 1. `..` not inside a longer word or path, followed by `/` or a closing quote.
  for (const m of text.matchAll(/(?<![\w./-])\.\.(?=[/'"`])(?:\/[^\s'"`),;]*)?/g)) {
    const to = relative(ROOT, resolve(here, m[0]));
    if (to === '..' || to.startsWith(`..${sep}`)) found.push(`${m[0]} (resolves outside the repository)`);
  }
  // 2. An absolute path: after a line start, space, quote or one of `=(,:` — not inside a URL or a longer path.
  const roots = FOREIGN.join('|');
  for (const m of text.matchAll(new RegExp(`(?<=^|[\\s'"\`=(,:])/(?:${roots})(?=[/'"\`\\s]|$)[^\\s'"\`]*`, 'gm'))) {
    found.push(`${m[0]} (an absolute path on one machine)`);
  }
  // 3. A string starting with the temp folder's path.
  for (const m of text.matchAll(new RegExp(`(?<=['"\`])/${TEMP}(?=[/'"\`])[^\\s'"\`]*`, 'g'))) {
    found.push(`${m[0]} (use mkdtemp(join(tmpdir(), ...)))`);
  }
  return found;
}

test('no file of code names a path outside the repository', () => {
  const files = CHECKED.flatMap(filesUnder).filter((rel) => !rel.endsWith('.md'));
  assert.ok(files.length > 100, `only ${files.length} files found under ${ROOT}`);
  const offences: string[] = [];
  for (const rel of files) {
    const bytes = readFileSync(join(ROOT, rel));
    if (bytes.includes(0)) continue; // binary
    for (const what of outsideReferences(rel, bytes.toString('utf8'))) offences.push(`${rel}: ${what}`);
  }
  assert.deepEqual(offences, []);
});

test('the rule catches what it is for, and lets relative paths inside the repository through', () => {
  const up = (n: number) => Array(n).fill('..').join('/');
  const flagged = (rel: string, text: string) => outsideReferences(rel, text).length > 0;
  // A folder beside the clone, the way test/helpers/migrate.ts once read it.
  assert.ok(flagged('test/helpers/migrate.ts', `new URL('${up(3)}/shared/fixtures/api-gateway', import.meta.url)`));
  assert.ok(flagged('test/x.test.ts', `join(dir, '${up(2)}')`));
  for (const root of FOREIGN) {
    assert.ok(flagged('test/x.test.ts', `const FIXTURE = '/${root}/me/fixtures';`), root);
    assert.ok(flagged('.ci/run', `cp -r /${root}/shared .`), root);
  }
  assert.ok(flagged('test/x.test.ts', `readFileSync('/${TEMP}/settings.json')`));

  assert.ok(!flagged('src/cli/chat/chat.ts', `import type { Context } from '${up(1)}/common/context.ts';`));
  assert.ok(!flagged('bench/serve.mjs', `fileURLToPath(new URL('${up(1)}', import.meta.url))`));
  assert.ok(!flagged('test/x.test.ts', `'/dev/null', '/dev/full', '/proc/self/status', 'https://example.com/home/x'`));
  assert.ok(!flagged('src/store/x.ts', `// a sticky folder such as /${TEMP} is shared by every user`));
  assert.ok(!flagged('test/x.test.ts', `const spread = [...list]; const range = '1..2';`));
});
