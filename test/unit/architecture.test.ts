// The layers stay where docs/ARCHITECTURE.md draws them: this test reads every import in src/ and fails on one
// that points the wrong way.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const SRC = fileURLToPath(new URL('../../src', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/**
 * Every module a file loads — static and dynamic imports, re-exports, `require('…')` calls (also through a
 * createRequire) — in either quote style; local ones as paths relative to src/.
 */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const quoted = `(['"])([^'"]+)\\1`;
  const patterns = [
    new RegExp(`(?:import|export)[^'"]*?from\\s+${quoted}`, 'g'),
    new RegExp(`import\\(\\s*${quoted}\\s*\\)`, 'g'),
    new RegExp(`^import\\s+${quoted}`, 'gm'),
    new RegExp(`[Rr]equire\\)?\\(\\s*${quoted}\\s*\\)`, 'g'),
  ];
  const specs = patterns.flatMap((pattern) => [...text.matchAll(pattern)].map((m) => m[2]!));
  return specs.map((spec) => (spec.startsWith('.') ? relative(SRC, resolve(dirname(file), spec)) : spec));
}

const layerOf = (path: string) => path.split('/')[0]!;

const rules: Record<string, (spec: string) => boolean> = {
  // The core is pure: no I/O, no SDK, no terminal, no file format.
  core: (spec) => ['core', 'lib'].includes(layerOf(spec)),
  // Helpers that know nothing of the domain import nothing at all.
  lib: () => false,
  catalog: () => false,
  // Adapters and stores may use core's types and pure helpers, their SDK or driver, and Node's built-ins.
  providers: (spec) =>
    ['core', 'lib', 'providers', 'protocols'].includes(layerOf(spec)) ||
    spec.startsWith('node:') ||
    ['openai', '@anthropic-ai/sdk'].some((p) => spec === p || spec.startsWith(`${p}/`)),
  // A codec knows its wire and the core; the client-side checks it shares with the other codecs are in server/wire/.
  protocols: (spec) =>
    ['core', 'lib', 'protocols'].includes(layerOf(spec)) ||
    spec.startsWith('server/wire/') ||
    spec === 'server/http-error.ts' ||
    spec.startsWith('node:') ||
    ['openai', '@anthropic-ai/sdk'].some((p) => spec === p || spec.startsWith(`${p}/`)),
  store: (spec) =>
    ['core', 'lib', 'store'].includes(layerOf(spec)) ||
    spec.startsWith('node:') ||
    spec === 'better-sqlite3' ||
    spec === 'pg',
  // The importer reads the old files and writes through the store; it knows no terminal and no front end.
  migrate: (spec) => ['core', 'lib', 'store', 'migrate'].includes(layerOf(spec)) || spec.startsWith('node:'),
  // The wiring every front end shares: it knows the layers below it and Node, and no front end.
  runtime: (spec) =>
    ['core', 'lib', 'store', 'providers', 'catalog', 'runtime'].includes(layerOf(spec)) || spec.startsWith('node:'),
  // The front ends use the runtime but never import each other.
  cli: (spec) => layerOf(spec) !== 'server',
  server: (spec) => layerOf(spec) !== 'cli',
};

/** The `serve` command (and its wiring) is the CLI's one door into the server; nothing else in cli/ may open it. */
const SERVE_DOOR = /^cli\/serve\/[\w-]+\.ts$/;

test('imports point the right way between layers', () => {
  const violations: string[] = [];
  for (const file of sourceFiles(SRC)) {
    const from = relative(SRC, file);
    const allowed = SERVE_DOOR.test(from) ? () => true : (rules[layerOf(from)] ?? (() => true));
    for (const spec of importsOf(file)) if (!allowed(spec)) violations.push(`${from} imports ${spec}`);
  }
  assert.deepEqual(violations, []);
});

/** Local imports as a graph: file → the files it loads (any kind of import, types included). */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(SRC)) {
    graph.set(
      relative(SRC, file),
      importsOf(file).filter((spec) => spec.endsWith('.ts') && !spec.startsWith('..')),
    );
  }
  return graph;
}

/**
 * The files caught in import cycles, one group per tangle (a strongly connected component of the graph, Tarjan's
 * algorithm), each sorted: `a → b → a` and `a → b → c → a` are both one group, however many loops run through it.
 */
function cyclesOf(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const groups: string[][] = [];
  const connect = (file: string) => {
    index.set(file, index.size);
    low.set(file, index.get(file)!);
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (!index.has(next)) {
        connect(next);
        low.set(file, Math.min(low.get(file)!, low.get(next)!));
      } else if (stack.includes(next)) {
        low.set(file, Math.min(low.get(file)!, index.get(next)!));
      }
    }
    if (low.get(file) !== index.get(file)) return;
    const group: string[] = [];
    for (let member = stack.pop()!; ; member = stack.pop()!) {
      group.push(member);
      if (member === file) break;
    }
    if (group.length > 1 || graph.get(file)?.includes(file)) groups.push(group.sort());
  };
  for (const file of [...graph.keys()].sort()) if (!index.has(file)) connect(file);
  return groups.sort((a, b) => a[0]!.localeCompare(b[0]!));
}

test('no import cycles in src/ (a type import counts: it ties the two files together all the same)', () => {
  assert.deepEqual(
    cyclesOf(importGraph()).map((c) => c.join(' ⇄ ')),
    [],
  );
});

test('the cycle finder finds two files importing each other, a loop through three, and a file importing itself', () => {
  const graph = new Map([
    ['a.ts', ['b.ts']],
    ['b.ts', ['c.ts']],
    ['c.ts', ['a.ts', 'd.ts']],
    ['d.ts', ['e.ts']],
    ['e.ts', ['d.ts', 'f.ts']],
    ['f.ts', ['g.ts']],
    ['g.ts', ['g.ts']],
  ]);
  assert.deepEqual(cyclesOf(graph), [['a.ts', 'b.ts', 'c.ts'], ['d.ts', 'e.ts'], ['g.ts']]);
});

test('only the adapters and codecs import the SDKs (for their types), only the store the SQLite driver (and store/postgres/ the PostgreSQL one), only the spinner ora, only output chalk, only the table module cli-table3', () => {
  const owners: Record<string, RegExp> = {
    openai: /^(providers|protocols)\//,
    '@anthropic-ai/sdk': /^(providers|protocols)\//,
    ora: /^cli\/chat\/spinner\.ts$/,
    chalk: /^cli\/common\/output\.ts$/,
    'cli-table3': /^cli\/common\/table\.ts$/,
    'string-width': /^cli\/common\/table\.ts$/,
    'better-sqlite3': /^store\//,
    pg: /^store\/postgres\//,
  };
  const violations: string[] = [];
  for (const file of sourceFiles(SRC)) {
    const from = relative(SRC, file);
    for (const spec of importsOf(file)) {
      const owner = Object.entries(owners).find(([pkg]) => spec === pkg || spec.startsWith(`${pkg}/`));
      if (owner && !owner[1].test(from)) violations.push(`${from} imports ${spec}`);
    }
  }
  assert.deepEqual(violations, []);
});

test('the import scanner sees static, type and dynamic imports (so the rules above can fail)', () => {
  const main = importsOf(join(SRC, 'cli/main.ts'));
  assert.ok(main.includes('@commander-js/extra-typings'));
  assert.ok(main.includes('cli/models/models.ts'), 'dynamic import');
  assert.ok(importsOf(join(SRC, 'core/catalog.ts')).includes('core/types.ts'), 'type import');
  assert.ok(importsOf(join(SRC, 'store/ledger-file.ts')).includes('better-sqlite3'), 'require() through createRequire');
});
