#!/usr/bin/env node
// The executable: runs the bundled CLI (built by `npm run build`, which `npm ci` runs through `prepare`).
import { setFlagsFromString } from 'node:v8';

const longLived = process.argv[2] === 'serve';
// A one-shot command is over in well under a second: V8's optimising compiler only costs it time, and the
// WebAssembly HTTP parser behind fetch() keeps compiling in the background after the last byte was printed.
if (!longLived) setFlagsFromString('--liftoff-only');

const { main } = await import('../dist/main.js');
const code = await main();
if (longLived) {
  process.exitCode = code;
} else {
  // Leave as soon as everything printed has been flushed: idle keep-alive sockets must not hold the shell.
  let pending = 2;
  const done = () => --pending === 0 && process.exit(code);
  process.stdout.write('', done);
  process.stderr.write('', done);
}
