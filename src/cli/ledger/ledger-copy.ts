// `llm-gateway ledger copy`: moving to a shared ledger without losing what this machine has
// already spent. Copies ledger.db's detailed usage (the last 90 days: longer than any window), manual resets,
// cooldowns and request log (its last 90 days, so `log` and `usage` there show this machine's past too) into the
// database. Idempotent: usage rows and requests are keyed by their ids and one already there is left alone, a reset
// keeps the later time, a cooldown the later end; run again, it adds nothing. Nothing local changes.
import { existsSync } from 'node:fs';
import { ConfigError, UsageError } from '../../core/errors.ts';
import {
  DATABASE_URL_ENV,
  databaseUrlHasPassword,
  databaseUrlProblem,
  databaseUrlSource,
  describeDatabase,
} from '../../store/database-url.ts';
import { openLedger } from '../../store/ledger.ts';
import type { PgActivity } from '../../store/postgres/pg-activity.ts';
import type { ActivityLog } from '../../store/request-log.ts';
import type { Context } from '../common/context.ts';

export async function ledgerCopyCommand(context: Context, options: { to?: string }): Promise<void> {
  // --to is for a one-off; the variable or settings keep the password out of `ps` and shell history, so a password
  // in --to is refused, as a key given as a flag value is.
  if (options.to !== undefined && databaseUrlHasPassword(options.to))
    throw new UsageError(
      '--to holds a password, which `ps` and your shell history would keep',
      `give --to without it and the password in PGPASSWORD (or ~/.pgpass), or set ${DATABASE_URL_ENV} and run \`llm-gateway ledger copy\` alone`,
    );
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
  try {
    const local = ledger.quota.exportAll();
    const { openPgLedger } = await import('../../store/postgres/open.ts');
    const source = options.to !== undefined ? '--to' : databaseUrlSource(context.runtime.env);
    const shared = await openPgLedger(to, { source });
    try {
      const added = await shared.quota.copyIn(local.usage, local.resets, local.cooldowns);
      const requests = await copyRequests(ledger.activity, shared.activity);
      const tokens = local.usage.reduce((n, u) => n + u.inputTokens + u.outputTokens, 0);
      context.out.print(
        `copied ${paths.ledger} into ${describeDatabase(to)}:\n` +
          `  usage rows  ${local.usage.length} (${tokens} tokens): ${added} new, ${local.usage.length - added} already there\n` +
          `  resets      ${local.resets.length}\n` +
          `  cooldowns   ${local.cooldowns.length}\n` +
          `  requests    ${requests.read}: ${requests.added} new, ${requests.read - requests.added} already there\n` +
          `${paths.ledger} is unchanged; set LLM_GATEWAY_DATABASE_URL on every machine to use the shared ledger`,
      );
    } finally {
      await shared.quota.close();
    }
  } finally {
    ledger.close();
  }
}

/** Requests read per batch: a busy machine's 90 days are read and written a slice at a time, never all in memory. */
const COPY_BATCH = 5_000;

/** The request log, oldest first, into the shared one (after what it holds: `log` lists in the order logged). */
async function copyRequests(from: ActivityLog, to: PgActivity): Promise<{ read: number; added: number }> {
  let read = 0;
  let added = 0;
  let afterSeq = 0;
  for (;;) {
    const batch = await from.recent({ limit: COPY_BATCH, afterSeq });
    if (batch.length === 0) return { read, added };
    read += batch.length;
    added += await to.copyIn(batch.map(({ seq: _seq, ...request }) => request));
    afterSeq = batch[batch.length - 1]!.seq;
  }
}
