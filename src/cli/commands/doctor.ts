// `llm-gateway doctor`: checks the config directory and, with --repair, moves broken files aside (never deleting
// them) so the next run starts afresh, and tightens modes that are too open.
import { chmodSync, existsSync, statSync } from 'node:fs';
import { ConfigError } from '../../core/errors.ts';
import { fileMode, moveAside, PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../../store/files.ts';
import { loadKeys } from '../../store/keys.ts';
import { openLedger, quarantineLedger } from '../../store/ledger.ts';
import { loadSettings } from '../../store/settings.ts';
import type { Context } from '../context.ts';
import { danglingReferencesCheck } from '../doctor-references.ts';

interface Check {
  path: string;
  problem?: string;
  /** What --repair does about it. */
  repair?: () => string;
}

export function doctorCommand(context: Context, options: { repair?: boolean }): void {
  const { paths } = context.runtime;
  const now = context.runtime.now();
  const checks: Check[] = [];
  if (!existsSync(paths.dir)) {
    context.out.print(`${paths.dir} does not exist yet: nothing to check (it is created on first use)`);
    return;
  }
  checks.push(modeCheck(paths.dir, PRIVATE_DIR_MODE));
  const parse = (path: string, load: (p: string) => unknown, repair: () => string) => {
    if (!existsSync(path)) return;
    try {
      load(path);
      checks.push(modeCheck(path, PRIVATE_FILE_MODE));
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      checks.push({ path, problem: err.message, repair });
    }
  };
  parse(paths.settings, loadSettings, () => `kept the broken file as ${moveAside(paths.settings, now)}`);
  parse(paths.keys, loadKeys, () => `kept the broken file as ${moveAside(paths.keys, now)}; add your keys again`);
  parse(paths.ledger, checkLedger, () => `kept the broken ledger as ${quarantineLedger(paths.ledger, now)}`);
  const references = danglingReferencesCheck(paths);
  if (references) checks.push(references);

  const problems = checks.filter((c) => c.problem);
  const style = context.out.style;
  for (const check of checks) {
    if (!check.problem) context.out.print(`${style.green('ok')}       ${check.path}`);
    else if (options.repair && check.repair) context.out.print(`${style.yellow('repaired')} ${check.path}: ${check.problem}\n         ${check.repair()}`);
    else context.out.print(`${style.red('broken')}   ${check.path}: ${check.problem}`);
  }
  if (problems.length && !options.repair) {
    throw new ConfigError(`${problems.length} problem(s) found`, 'run `llm-gateway doctor --repair` to fix them (broken files are kept, not deleted)');
  }
}

/** Opens the ledger and reads every page (doctor can afford what start-up cannot). */
function checkLedger(path: string): void {
  const ledger = openLedger(path);
  try {
    const problems = ledger.quickCheck();
    if (problems.length) throw new ConfigError(`quota ledger ${path} is damaged: ${problems.slice(0, 3).join('; ')}`, undefined, path);
  } finally {
    ledger.close();
  }
}

function modeCheck(path: string, wanted: number): Check {
  const mode = fileMode(path);
  if (mode === undefined || (mode & 0o077) === 0) return { path };
  const kind = statSync(path).isDirectory() ? 'directory' : 'file';
  return {
    path,
    problem: `${kind} mode is ${mode.toString(8)}, others can read it (should be ${wanted.toString(8)})`,
    repair: () => {
      chmodSync(path, wanted);
      return `mode set to ${wanted.toString(8)}`;
    },
  };
}
