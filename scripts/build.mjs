// Bundles the CLI with esbuild: one small entry chunk for start-up, each command and each SDK in chunks of their
// own that load only when used (the table drawing with cli-table3 and the colours of chalk too). The SQLite driver's compiled addon stays in node_modules, loaded by path.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
await build({
  entryPoints: { main: 'src/cli/main.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // The SQLite driver's JavaScript is bundled; its `bindings` helper (a fallback that searches for the compiled
  // addon from the caller's location) only works from inside node_modules. cli-table3 requires @colors/colors only
  // to paint cells given a style of its own, which we never give (chalk paints): left out of the table chunk.
  external: ['bindings', '@colors/colors/safe'],
  chunkNames: 'chunks/[name]-[hash]',
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  logLevel: 'warning',
  // CommonJS dependencies inside an ESM bundle still call require() for Node's built-ins.
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
});
