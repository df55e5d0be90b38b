#!/usr/bin/env node
// The executable: runs the bundled CLI (built by `npm run build`, which `npm ci` runs through `prepare`).
const { main } = await import('../dist/main.js');
const code = await main();
// Leave as soon as what was printed is flushed: an idle keep-alive socket must not hold the shell. (A long-lived
// command, such as a server, would return only when it is done.)
let pending = 2;
const done = () => --pending === 0 && process.exit(code);
process.stdout.write('', done);
process.stderr.write('', done);
