// `llm-gateway ledger copy`: moving to a shared ledger without losing what this machine has
// already spent. Copies ledger.db's detailed usage (the last 90 days: longer than any window), manual resets and
// cooldowns into the database. Idempotent: a usage row is keyed by its request id and one already there is left
// alone, a reset keeps the later time, a cooldown the later end; run again, it adds nothing. Nothing local changes.
import { existsSync } from 'node:fs';
import { ConfigError, UsageError } from '../../core/errors.ts';
import { DATABASE_URL_ENV, databaseUrlProblem, databaseUrlSource, describeDatabase } from '../../store/database-url.ts';
import { openLedger } from '../../store/ledger.ts';
import type { Context } from '../common/context.ts';

export async function ledgerCopyCommand(context: Context, options: { to?: string }): Promise<void> {
  // --to is for a one-off; the variable or settings keep the password out of `ps` and shell history.
  const to = options.to ?? context.runtime.databaseUrl();
  if (to === undefined)
    throw new UsageError(
      'no shared ledger to copy into',
      `set ${DATABASE_URL_ENV} (or \`database.url\` in settings.json) to postgres://user:password@host:port/database, or give --to`,
    );
  const problem = databaseUrlProblem(to);
  if (problem)
    throw new UsageError(
      `the database URL cannot be used: ${problem}`,
      'give postgres://user:password@host:port/database',
    );
  const { paths } = context.runtime;
  if (!existsSync(paths.ledger))
    throw new ConfigError(`there is no ledger to copy: ${paths.ledger} does not exist`, undefined, paths.ledger);
  const ledger = openLedger(paths.ledger);
  let local: ReturnType<typeof ledger.quota.exportAll>;
  try {
    local = ledger.quota.exportAll();
  } finally {
    ledger.close();
  }
  const { openPgQuota } = await import('../../store/postgres/open.ts');
  const source = options.to !== undefined ? '--to' : databaseUrlSource(context.runtime.env);
  const shared = await openPgQuota(to, { source });
  try {
    const added = await shared.copyIn(local.usage, local.resets, local.cooldowns);
    const tokens = local.usage.reduce((n, u) => n + u.inputTokens + u.outputTokens, 0);
    context.out.print(
      `copied ${paths.ledger} into ${describeDatabase(to)}:\n` +
        `  usage rows  ${local.usage.length} (${tokens} tokens): ${added} new, ${local.usage.length - added} already there\n` +
        `  resets      ${local.resets.length}\n` +
        `  cooldowns   ${local.cooldowns.length}\n` +
        `${paths.ledger} is unchanged; set LLM_GATEWAY_DATABASE_URL on every machine to use the shared ledger`,
    );
  } finally {
    await shared.close();
  }
}
