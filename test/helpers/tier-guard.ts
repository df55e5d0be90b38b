// Loaded before every test file (package.json's test scripts pass it with --import). A file under test/unit/ runs
// in its own process only: starting any other one (the binary, a shell, a worker, a pseudo-terminal) throws, so a test
// that needs a process cannot slip into the fast tier (`npm run test:unit`, no build) and belongs in test/e2e/.
import childProcess from 'node:child_process';
import { register, syncBuiltinESMExports } from 'node:module';

const UNIT_TIER = /[/\\]test[/\\]unit[/\\]/;

if (UNIT_TIER.test(process.argv[1] ?? '')) {
  const refuse = (name: string) => () => {
    throw new Error(`child_process.${name}: a test in test/unit/ starts no process; move it to test/e2e/`);
  };
  const starters = ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork'] as const;
  for (const name of starters) Object.assign(childProcess, { [name]: refuse(name) });
  syncBuiltinESMExports(); // `import { spawn } from 'node:child_process'` sees the refusals too
  // node-pty starts its process without child_process: refuse the import itself.
  const hooks = `export async function resolve(specifier, context, next) {
    if (specifier === 'node-pty') throw new Error('node-pty: a test in test/unit/ starts no process; move it to test/e2e/');
    return next(specifier, context);
  }`;
  register(`data:text/javascript,${encodeURIComponent(hooks)}`);
}
