// `llm-gateway migrate`: brings an api-gateway installation over. The work is in src/migrate/ (read the source,
// plan everything as data, write it); this shell wires the config directory to it and prints the report: the
// result figures, what was imported, in conflict, skipped or already in place, and the quota table as `quota`
// prints it. Usage goes to the quota ledger every command uses: the shared database when a URL is set.
import { existsSync } from 'node:fs';
import builtInCatalog from '../../catalog/builtin.json' with { type: 'json' };
import type { CatalogData } from '../../core/catalog.ts';
import type { Catalog, ProviderSpec } from '../../core/types.ts';
import { tierWindows } from '../../core/tier-report.ts';
import { compact, groupThousands } from '../common/format.ts';
import { backUp, writePlan } from '../../migrate/apply.ts';
import { changesAnything, planMigration, plannedSnapshot } from '../../migrate/plan.ts';
import { buildReport, outcomeLines, sectionLines, signed, type MigrationReport } from '../../migrate/report.ts';
import { readSource } from '../../migrate/source.ts';
import { isInvalidKey, resolveKey, type StoredKeys } from '../../store/keys.ts';
import { GatewayError } from '../../core/errors.ts';
import type { Context } from '../common/context.ts';
import { failureText } from '../common/error-text.ts';
import { exitCodeOf } from '../common/exit-codes.ts';
import { safeMessage } from '../common/report-failure.ts';
import { quotaJson, quotaView, type QuotaView } from '../../runtime/quota-report.ts';
import { printQuota } from '../quota/quota.ts';
import { terminalSafe } from '../../lib/terminal-safe.ts';
import { visibleLine } from '../../lib/visible-text.ts';

interface MigrateFlags {
  from?: string;
  dryRun?: boolean;
  force?: boolean;
  json?: boolean;
}

export async function migrateCommand(context: Context, flags: MigrateFlags): Promise<void> {
  try {
    await migrate(context, flags);
  } catch (err) {
    // A script asked for JSON: it gets an object on stdout whatever happened (the words still go to stderr).
    if (flags.json && err instanceof GatewayError) {
      const { message, hint } = failureText(err);
      context.out.json({ error: safeMessage(context, message), ...(hint ? { hint } : {}), exitCode: exitCodeOf(err) });
    }
    throw err;
  }
}

async function migrate(context: Context, flags: MigrateFlags): Promise<void> {
  // Every source file is parsed before the config directory is looked at: a broken one stops here, untouched.
  const source = readSource(flags.from ?? process.cwd());
  const now = context.runtime.now();
  const { paths } = context.runtime;
  // A ledger left with a WAL by another run is left exactly as found by a dry run (closing would checkpoint it).
  const closeLedger = !flags.dryRun || !existsSync(`${paths.ledger}-wal`);
  try {
    const hadLedger = context.runtime.hasLedger();
    const shared = context.runtime.databaseUrl() !== undefined;
    const planWith = (importedUsage: (id: string) => number | undefined) =>
      planMigration(
        {
          source,
          settings: context.runtime.settings(),
          keys: context.runtime.storedKeys(),
          builtIn: builtInCatalog as CatalogData,
          importedUsage,
          now,
          force: Boolean(flags.force),
        },
        paths.settings,
      );
    // Planning is pure and the ledger may be a database (asynchronous): plan once to learn which imported rows it
    // asks about, read those, then plan with the answers.
    const asked = planWith(() => undefined).usage.map((u) => u.requestId);
    const imported = new Map<string, number | undefined>();
    if (hadLedger) {
      const quota = await context.runtime.quota();
      for (const id of asked) imported.set(id, await quota.tokensOf(id));
    }
    const plan = planWith((id) => imported.get(id));
    const changed = changesAnything(plan);
    let backup: string | undefined;
    let view: QuotaView;
    if (changed && !flags.dryRun) {
      const target = { paths, ledger: () => context.runtime.ledger(), quota: () => context.runtime.quota(), now };
      backup = backUp(target);
      await writePlan(plan, target, backup, {
        settings: context.runtime.settings(),
        keys: context.runtime.storedKeys(),
      });
      context.runtime.invalidate();
      // What `quota` will print from now on, read back from the files just written.
      const snapshot = await context.runtime.snapshot();
      view = quotaView(context.runtime.catalog(), snapshot, context.runtime.keyedProviders(), now);
    } else {
      const windows = tierWindows(plan.after, now);
      const snapshot = hadLedger
        ? await (await context.runtime.quota()).snapshot(windows, now)
        : { usage: new Map(), cooldowns: [] };
      view = quotaView(
        plan.after,
        plannedSnapshot(snapshot, plan.usage),
        keyedAfter(context, plan.after, plan.keys),
        now,
      );
    }
    const report = buildReport(source, plan, changed, Boolean(flags.dryRun), backup);
    // With a shared database the usage went there, where no copy is taken: say so rather than let "copied aside" imply it.
    const ledger = shared && plan.usage.length > 0 ? (await context.runtime.quota()).location : undefined;
    if (flags.json)
      context.out.json({ ...report, ...(ledger ? { sharedLedger: ledger } : {}), quota: quotaJson(view) });
    else await printReport(context, report, view, ledger);
  } finally {
    // Closed, SQLite folds its WAL back in and removes it: the directory is left as tidy as it was found.
    if (closeLedger && existsSync(paths.ledger)) context.runtime.ledger().close();
  }
}

/** Providers that will have a key once the plan is written (the environment still wins, as at every run). */
function keyedAfter(context: Context, catalog: Catalog, keys: StoredKeys): Set<string> {
  const has = (p: ProviderSpec) => {
    const key = resolveKey(p, context.runtime.env, keys, context.runtime.runKeys);
    return key !== undefined && !isInvalidKey(key); // a variable that holds no key: the provider has none
  };
  return new Set([...catalog.providers.values()].filter(has).map((p) => p.id));
}

async function printReport(
  context: Context,
  report: MigrationReport,
  view: QuotaView,
  sharedLedger: string | undefined,
): Promise<void> {
  const { out } = context;
  const files = Object.values(report.files).filter((f): f is string => f !== null);
  out.print(
    `${report.dryRun ? 'Dry run: migrating' : 'Migrating'} from ${report.source} (${files.map((f) => f.slice(report.source.length + 1)).join(', ')})`,
  );
  out.print('');
  const figure = (metric: string, n: number) =>
    metric === 'free tokens a window' ? `${compact(n)} (${groupThousands(n)})` : String(n);
  await out.table(
    [
      { header: 'RESULT' },
      { header: 'BEFORE', align: 'right' },
      { header: 'AFTER', align: 'right' },
      { header: 'CHANGE', align: 'right' },
    ],
    report.result.map((f) => [f.metric, figure(f.metric, f.before), figure(f.metric, f.after), signed(f.change)]),
  );
  // Entry names come from the old files (data/quota.json): an escape sequence in one is named, never run.
  for (const line of sectionLines(report)) out.print(terminalSafe(visibleLine(line)));
  out.print('');
  out.print(`Free tiers ${report.changed ? 'after the import' : 'now'}:`);
  await printQuota(out, view);
  out.print('');
  for (const line of outcomeLines(report, context.runtime.paths.dir)) out.print(line);
  if (sharedLedger !== undefined)
    out.print(
      report.dryRun
        ? `The usage would go to the shared quota ledger ${sharedLedger}.`
        : `The usage went to the shared quota ledger ${sharedLedger} (no copy is taken there; running migrate again replaces these rows, never adds to them).`,
    );
}
