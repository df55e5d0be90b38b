// The migration report as data: one object for --json, and the lines the text report prints around the two
// tables (the result figures, and the quota table as `quota` prints it). Keys appear in it masked, or not at all.
import type { PlanConflict, PlanItem } from './draft.ts';
import { compareFigures, type Figure } from './figures.ts';
import type { MigrationPlan } from './plan.ts';
import type { Source } from './source.ts';

export interface MigrationReport {
  source: string;
  files: { env: string | null; quota: string | null; config: string | null };
  dryRun: boolean;
  /** False when the config directory already held everything: nothing was (or would be) written. */
  changed: boolean;
  /** Where settings, keys and ledger were copied before writing; null when nothing was written or there was nothing to copy. */
  backup: string | null;
  result: Figure[];
  imported: PlanItem[];
  unchanged: PlanItem[];
  skipped: PlanItem[];
  conflicts: PlanConflict[];
}

export function buildReport(
  source: Source,
  plan: MigrationPlan,
  changed: boolean,
  dryRun: boolean,
  backup?: string,
): MigrationReport {
  return {
    source: source.dir,
    files: { env: source.env?.path ?? null, quota: source.quota?.path ?? null, config: source.config?.path ?? null },
    dryRun,
    changed,
    backup: backup ?? null,
    result: compareFigures(plan.before, plan.after),
    imported: plan.imported,
    unchanged: plan.unchanged,
    skipped: plan.skipped,
    conflicts: plan.conflicts,
  };
}

/** `+1`, `-2`, `0`. */
export const signed = (n: number): string => (n > 0 ? `+${n}` : String(n));

/** The sections after the result table: imported, conflicts, skipped, already in place. */
export function sectionLines(report: MigrationReport): string[] {
  const lines: string[] = [];
  const item = (i: PlanItem) => `  ${i.kind} ${i.subject}: ${i.detail}`;
  const section = (title: string, rows: string[]) => {
    lines.push('', `${title} (${rows.length})${rows.length ? ':' : ''}`, ...rows);
  };
  section(report.dryRun ? 'Would import' : 'Imported', report.imported.map(item));
  section(
    'Conflicts',
    report.conflicts.map(
      (c) =>
        `  ${c.kind} ${c.subject}: ${c.resolution === 'kept' ? `kept ${c.current}; the source has ${c.source} (--force takes it)` : `${report.dryRun ? 'would replace' : 'replaced'} ${c.current} with ${c.source} (--force)`}`,
    ),
  );
  section('Skipped', report.skipped.map(item));
  section('Already in place', report.unchanged.map(item));
  return lines;
}

/** The closing lines: what happened to the config directory. */
export function outcomeLines(report: MigrationReport, configDir: string): string[] {
  if (!report.changed) return [`Nothing to change: ${configDir} already holds everything this source has.`];
  if (report.dryRun) return ['Dry run: nothing was written. Run again without --dry-run to import.'];
  return [
    report.backup
      ? `Imported into ${configDir}. The files from before are copied in ${report.backup} (copy them back to undo).`
      : `Imported into ${configDir} (it held no settings, keys or ledger before, so there was nothing to copy aside).`,
  ];
}
