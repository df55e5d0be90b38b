// What settings.json names by model id — its defaultModel, its aliases' targets, its scenarios' entries — checked
// against the catalog the settings make with the built-in data. Removing a provider could leave such a name behind
// with nothing serving it (a stale defaultModel made every later `chat` exit 3 while `doctor` saw nothing wrong):
// `providers remove` takes the ones it leaves dangling with it, and `doctor` finds, and `--repair` removes, any
// left from before. A model still served by another provider still resolves, so it stays.
import builtInCatalog from '../catalog/builtin.json' with { type: 'json' };
import { buildCatalog, resolveModel, type CatalogData } from '../core/catalog.ts';
import { LookupError } from '../core/errors.ts';
import { settingsCatalogLayer, type Settings } from '../store/settings.ts';

export type Reference =
  | { kind: 'defaultModel'; target: string }
  | { kind: 'alias'; alias: string; target: string }
  | { kind: 'scenario'; scenario: string; target: string };

/** The references in `settings` that name no model the catalog knows, or a provider that does not serve it. */
export function danglingReferences(settings: Settings): Reference[] {
  const catalog = buildCatalog(builtInCatalog as CatalogData, settingsCatalogLayer(settings));
  const resolves = (selector: string): boolean => {
    try {
      resolveModel(catalog, selector);
      return true;
    } catch (err) {
      if (err instanceof LookupError) return false;
      throw err;
    }
  };
  const found: Reference[] = [];
  const { defaultModel } = settings;
  if (defaultModel && defaultModel !== 'auto' && !resolves(defaultModel))
    found.push({ kind: 'defaultModel', target: defaultModel });
  // The catalog follows an alias to a model id exactly (not an upstream id, not another alias).
  for (const [alias, target] of Object.entries(settings.aliases ?? {})) {
    if (!catalog.models.has(target)) found.push({ kind: 'alias', alias, target });
  }
  for (const [scenario, entries] of Object.entries(settings.scenarios ?? {})) {
    for (const target of entries) if (!resolves(target)) found.push({ kind: 'scenario', scenario, target });
  }
  return found;
}

/**
 * `settings` without these references: the default model goes back to `auto` (unset), an alias goes, a scenario
 * entry goes, and a scenario left empty goes too (a built-in one of that name applies again).
 */
export function withoutReferences(settings: Settings, references: readonly Reference[]): Settings {
  const has = (ref: Reference) => references.some((r) => sameReference(r, ref));
  const next: Settings = { ...settings };
  if (next.defaultModel !== undefined && has({ kind: 'defaultModel', target: next.defaultModel }))
    delete next.defaultModel;
  if (settings.aliases) {
    next.aliases = Object.fromEntries(
      Object.entries(settings.aliases).filter(([alias, target]) => !has({ kind: 'alias', alias, target })),
    );
  }
  if (settings.scenarios) {
    const kept = Object.entries(settings.scenarios).map(
      ([scenario, entries]) =>
        [scenario, entries.filter((target) => !has({ kind: 'scenario', scenario, target }))] as const,
    );
    next.scenarios = Object.fromEntries(
      kept.filter(([scenario, entries]) => entries.length > 0 || settings.scenarios![scenario]!.length === 0),
    );
  }
  return next;
}

export function sameReference(a: Reference, b: Reference): boolean {
  return describeReference(a) === describeReference(b);
}

/**
 * What removing `references` from `settings` does, in words: a scenario that loses every entry is removed whole
 * (withoutReferences), so it is named once as such — "scenario only (now empty, removed)" — rather than as an entry
 * removed from a scenario that seemed to stay.
 */
export function describeRemoval(settings: Settings, references: readonly Reference[]): string[] {
  const emptied = new Set(
    Object.entries(settings.scenarios ?? {})
      .filter(
        ([scenario, entries]) =>
          entries.length > 0 &&
          entries.every((target) => references.some((r) => sameReference(r, { kind: 'scenario', scenario, target }))),
      )
      .map(([scenario]) => scenario),
  );
  const said = new Set<string>();
  return references.flatMap((ref) => {
    if (ref.kind !== 'scenario' || !emptied.has(ref.scenario)) return [describeReference(ref)];
    if (said.has(ref.scenario)) return [];
    said.add(ref.scenario);
    return [`scenario ${ref.scenario} (now empty, removed)`];
  });
}

/** "default model my-model", "alias fast (→ my-model)", "scenario code entry my-model". */
export function describeReference(ref: Reference): string {
  switch (ref.kind) {
    case 'defaultModel':
      return `default model ${ref.target}`;
    case 'alias':
      return `alias ${ref.alias} (→ ${ref.target})`;
    case 'scenario':
      return `scenario ${ref.scenario} entry ${ref.target}`;
  }
}
