// doctor's check of the shared quota ledger, when a database URL is set: the database is reached, logs us in, and
// its schema is one this binary knows (brought up to date, as any command would on first use). Named without its
// password; a failure says why and how to fall back, and --repair has nothing to do with it.
import { ConfigError } from '../../core/errors.ts';
import { databaseUrlOf, databaseUrlProblem, databaseUrlSource, describeDatabase } from '../../store/database-url.ts';
import type { StorePaths } from '../../store/paths.ts';
import type { Check } from './check.ts';
import { settingsIfParsed } from './check.ts';

export async function sharedLedgerCheck(paths: StorePaths, env: NodeJS.ProcessEnv): Promise<Check | undefined> {
  const url = databaseUrlOf(env, () => settingsIfParsed(paths)?.database?.url);
  if (url === undefined) return undefined;
  const problem = databaseUrlProblem(url);
  const path = problem ? 'the shared quota ledger URL' : `${describeDatabase(url)} (shared quota ledger)`;
  if (problem) return { path, problem, cannotRepair: 'set it to postgres://user:password@host:port/database' };
  try {
    const { checkPgLedger } = await import('../../store/postgres/open.ts');
    const { version, found } = await checkPgLedger(url, databaseUrlSource(env));
    const schema = found === version ? `schema ${version}` : `schema ${version} (was ${found}: migrated now)`;
    return { path: `${path}: reached, ${schema}` };
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return { path, problem: err.message, cannotRepair: err.hint ?? 'see above' };
  }
}
