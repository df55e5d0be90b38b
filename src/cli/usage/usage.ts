// `llm-gateway usage`: what was used and what it cost, per day, model or provider — a bar chart of tokens per day
// (free and paid stacked) and a table fitted to the terminal, or JSON / CSV for scripts. It reads only the daily
// totals the ledger keeps, so a year of calls costs a few thousand rows; the chart and table code loads only when
// they are drawn.
import { resolveModel } from '../../core/catalog.ts';
import { UsageError } from '../../core/errors.ts';
import type { UsageGrouping } from '../../core/usage-report.ts';
import { usageReport } from '../../runtime/usage-report.ts';
import type { Context } from '../common/context.ts';
import { usageRange } from './usage-range.ts';
import { usageCsv, usageJson } from './usage-format.ts';

export interface UsageOptions {
  since?: string;
  until?: string;
  by?: UsageGrouping;
  model?: string;
  provider?: string;
  json?: boolean;
  csv?: boolean;
}

export async function usageCommand(context: Context, options: UsageOptions): Promise<void> {
  if (options.json && options.csv) throw new UsageError('use either --json or --csv, not both');
  const by = options.by ?? 'day';
  const { runtime } = context;
  const range = usageRange(options.since, options.until, runtime.now());
  const model = options.model === undefined ? undefined : modelId(context, options.model);
  const provider = options.provider?.trim() || undefined;
  const report = await usageReport(runtime, { ...range, model, provider, by });
  if (options.json) context.out.json(usageJson(report));
  else if (options.csv) context.out.stdout.write(usageCsv(report));
  else await (await import('./usage-print.ts')).printUsage(context.out, report);
}

/** An alias or `provider:model` names its model id; an id the catalog no longer has is taken as written. */
function modelId(context: Context, selector: string): string {
  const text = selector.trim();
  if (!text) throw new UsageError('--model needs a value, got an empty one', 'e.g. --model llama-3.1-8b-instant');
  try {
    return resolveModel(context.runtime.catalog(), text).model.id;
  } catch {
    return text;
  }
}
