#!/usr/bin/env node
// The executable: runs the bundled CLI (built by `npm run build`, which `npm ci` runs through `prepare`).
const { main } = await import('../dist/main.js');
const code = await main();
if (process.argv[2] === 'serve') {
  process.exitCode = code;
} else {
  // A one-shot command leaves as soon as what it printed is flushed: idle keep-alive sockets, and the
  // WebAssembly HTTP parser behind fetch() that V8 keeps optimising in the background, must not hold the shell.
  let pending = 2;
  const done = () => --pending === 0 && process.exit(code);
  process.stdout.write('', done);
  process.stderr.write('', done);
}
