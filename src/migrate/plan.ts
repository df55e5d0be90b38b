// The whole migration as data: what settings, keys and ledger will hold afterwards, and the report of what was
// imported, already in place, skipped and in conflict. Computed in full, and the settings it would write validated
// as any later command will read them, before anything is written: a plan that cannot be written whole is not.
import { buildCatalog } from '../core/catalog.ts';
import type { Catalog, LedgerSnapshot } from '../core/types.ts';
import type { StoredKeys } from '../store/keys.ts';
import { settingsCatalogLayer, validateSettings, type Settings } from '../store/settings.ts';
import { Draft, type PlanConflict, type PlanInput, type PlanItem, type UsageImport } from './draft.ts';
import { planModels, planProviders, planScenarios } from './plan-catalog.ts';
import { planEnv } from './plan-keys.ts';
import { planTiers } from './plan-tiers.ts';

export interface MigrationPlan {
  settings: Settings;
  keys: StoredKeys;
  usage: UsageImport[];
  settingsChanged: boolean;
  keysChanged: boolean;
  imported: PlanItem[];
  unchanged: PlanItem[];
  skipped: PlanItem[];
  conflicts: PlanConflict[];
  before: Catalog;
  after: Catalog;
}

export function planMigration(input: PlanInput, settingsPath: string): MigrationPlan {
  const d = new Draft(input);
  const before = d.catalog();
  const { env, quota, config } = input.source;
  // Providers and models first: keys, tiers and scenarios may name them.
  if (config) planProviders(d, config.config, config.path);
  if (config) planModels(d, config.config, config.path);
  if (env) planEnv(d, env.entries, config?.config, env.path);
  if (quota) planTiers(d, quota.entries, quota.path);
  if (config) planScenarios(d, config.config, config.path);

  // What would be written must read back as valid settings; a ConfigError here stops the run with nothing written.
  const settings = validateSettings(JSON.parse(JSON.stringify(d.settings)), settingsPath);
  return {
    settings,
    keys: d.keys,
    usage: d.usage,
    settingsChanged: JSON.stringify(settings) !== JSON.stringify(input.settings),
    keysChanged: JSON.stringify(d.keys) !== JSON.stringify(input.keys),
    imported: d.imported,
    unchanged: d.unchanged,
    skipped: d.skipped,
    conflicts: d.conflicts,
    before,
    after: buildCatalog(input.builtIn, settingsCatalogLayer(settings)),
  };
}

export function changesAnything(plan: MigrationPlan): boolean {
  return plan.settingsChanged || plan.keysChanged || plan.usage.length > 0;
}

/** The ledger as it will be once the plan's usage rows are in: for showing the quota table before writing. */
export function plannedSnapshot(snapshot: LedgerSnapshot, usage: UsageImport[]): LedgerSnapshot {
  const map = new Map(snapshot.usage);
  for (const u of usage) {
    const prev = map.get(u.tierKey) ?? { used: 0, reserved: 0 };
    map.set(u.tierKey, { ...prev, used: prev.used + u.tokens - (u.replaces ?? 0) });
  }
  return { usage: map, cooldowns: snapshot.cooldowns };
}
