// The providers settings.json adds (not built in) that have no base URL and no variable to take one from: nothing
// can call them. An older `providers add k --replace` without --base-url wrote such an entry and exited 0, and
// every later call to k failed while `doctor` said all was well; doctor now reports them.
import builtInCatalog from '../../catalog/builtin.json' with { type: 'json' };
import type { CatalogData } from '../../core/catalog.ts';
import type { Settings } from '../../store/settings.ts';

const BUILT_IN = new Set(((builtInCatalog as CatalogData).providers ?? []).map((p) => p.id));

export function providersWithoutBaseUrl(settings: Settings): string[] {
  return Object.entries(settings.providers ?? {})
    .filter(([id, p]) => !BUILT_IN.has(id) && !p.baseUrl && !p.baseUrlEnv?.length)
    .map(([id]) => id);
}
