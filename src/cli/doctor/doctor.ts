// `llm-gateway doctor`: checks the config directory and, with --repair, moves broken files aside (never deleting
// them) so the next run starts afresh, and tightens modes that are too open.
import { existsSync } from 'node:fs';
import { ConfigError } from '../../core/errors.ts';
import { moveAside, readTextIfExists } from '../../store/files.ts';
import { parseKeys } from '../../store/keys.ts';
import { openLedger, quarantineLedger } from '../../store/ledger.ts';
import { tablelessBesideWal } from '../../store/ledger-file.ts';
import { parseSettings } from '../../store/settings.ts';
import type { Context } from '../common/context.ts';
import { danglingReferencesCheck } from './references.ts';
import { providerUrlsCheck } from './provider-urls.ts';
import type { Check } from './check.ts';
import { privacyChecks } from './privacy.ts';
import { sharedLedgerCheck } from './shared-ledger.ts';
import { leftoverTempsCheck } from './leftover-temps.ts';
import { orphanKeysCheck } from './orphan-keys.ts';
import { unusableKeysChecks } from './unusable-keys.ts';
import { writableDirCheck } from './writable-dir.ts';

export async function doctorCommand(context: Context, options: { repair?: boolean }): Promise<void> {
  const { paths } = context.runtime;
  const now = context.runtime.now();
  if (!existsSync(paths.dir)) {
    context.out.print(`${paths.dir} does not exist yet: nothing to check (it is created on first use)`);
    return;
  }
  const privacy = privacyChecks(paths);
  const checks: Check[] = [...privacy.checks];
  const parse = (path: string, load: (p: string) => unknown, repair: () => string) => {
    if (!existsSync(path)) return;
    try {
      load(path);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      checks.push({ path, problem: err.message, repair });
    }
  };
  // Nothing inside a directory that is not one, or not ours, is read or moved.
  if (privacy.usable) {
    const writable = writableDirCheck(paths);
    if (writable) checks.push(writable);
    // Read as they are, whatever their modes: doctor only checks them, it never uses what is in them.
    parse(
      paths.settings,
      (p) => parseSettings(readTextIfExists(p), p),
      () => `kept the broken file as ${moveAside(paths.settings, now)}`,
    );
    parse(
      paths.keys,
      (p) => parseKeys(readTextIfExists(p), p),
      () => `kept the broken file as ${moveAside(paths.keys, now)}; add your keys again`,
    );
    parse(paths.ledger, checkLedger, () => `kept the broken ledger as ${quarantineLedger(paths.ledger, now)}`);
    const references = danglingReferencesCheck(paths);
    if (references) checks.push(references);
    const urls = providerUrlsCheck(paths);
    if (urls) checks.push(urls);
    const orphans = orphanKeysCheck(paths, () => context.runtime.catalog(), now);
    if (orphans) checks.push(orphans);
    checks.push(...unusableKeysChecks(paths, () => context.runtime.catalog(), context.runtime.env));
    const temps = leftoverTempsCheck(paths);
    if (temps) checks.push(temps);
    const shared = await sharedLedgerCheck(paths, context.runtime.env);
    if (shared) checks.push(shared);
  }
  report(context, checks, options.repair === true);
}

/** Prints each finding (repairing what --repair can); exit 3 while any problem is left. */
function report(context: Context, checks: Check[], repair: boolean): void {
  const style = context.out.style;
  const found = checks.filter((c) => c.problem);
  const unrepairable = found.filter((c) => !c.repair);
  for (const check of checks) {
    // A path with a problem gets no `ok` line from its other checks.
    if (!check.problem) {
      if (!found.some((c) => c.path === check.path)) context.out.print(`${style.green('ok')}       ${check.path}`);
      continue;
    }
    if (repair && check.repair)
      context.out.print(`${style.yellow('repaired')} ${check.path}: ${check.problem}\n         ${check.repair()}`);
    else {
      const why = check.cannotRepair ? `\n         cannot repair: ${check.cannotRepair}` : '';
      context.out.print(`${style.red('broken')}   ${check.path}: ${check.problem}${why}`);
    }
  }
  if (found.length && !repair) {
    throw new ConfigError(
      `${found.length} problem(s) found`,
      unrepairable.length === found.length
        ? 'doctor --repair cannot fix these: see each one above'
        : 'run `llm-gateway doctor --repair` to fix them (broken files are kept, not deleted)',
    );
  }
  if (repair && unrepairable.length) {
    throw new ConfigError(`${unrepairable.length} problem(s) doctor cannot repair`, 'see each one above');
  }
}

/** Opens the ledger and reads every page (doctor can afford what start-up cannot). */
function checkLedger(path: string): void {
  const foreignWal = tablelessBesideWal(path);
  if (foreignWal) throw foreignWal;
  const ledger = openLedger(path);
  try {
    const problems = ledger.quickCheck();
    if (problems.length)
      throw new ConfigError(`quota ledger ${path} is damaged: ${problems.slice(0, 3).join('; ')}`, undefined, path);
  } finally {
    ledger.close();
  }
}
