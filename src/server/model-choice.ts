// What the `model` field of a request selects: `auto`, a scenario name (so a tool that only lets its user pick a
// model id can still pick `code` or `reasoning`), or a model — id, alias, upstream id or `provider:model`.
// An unknown one fails here (404 on the `model` field, with the nearest ids) before any quota is touched, except a
// Claude id: agents such as Claude Code resolve their own aliases (`opus` -> `claude-opus-4-8`) and send ids newer
// than any catalog, so a `claude-*` id the catalog lacks, or none of whose providers can answer now, takes the route
// of its family instead (claudeRoute), as claude-code-router's Router.default/background/think do.
import { resolveModel } from '../core/catalog.ts';
import { isAuto } from '../core/router.ts';
import type { Catalog } from '../core/types.ts';

export interface Target {
  model?: string;
  scenario?: string;
}

export function targetOf(model: string, catalog: Catalog): Target {
  const name = model.trim();
  if (isAuto(name)) return { model: 'auto' };
  if (catalog.scenarios.has(name) && !catalog.models.has(name) && !catalog.aliases.has(name))
    return { model: 'auto', scenario: name };
  resolveModel(catalog, name); // an unknown name throws its LookupError here, mapped to 404 on `model`
  return { model: name };
}

/**
 * The routes a Claude family id may take, best first: thinking switched on -> `reasoning`; `*haiku*` (the agent's
 * quick background calls) -> `background`; `*sonnet*` / `*opus*` -> `code`; then `auto` (`default`, or
 * `long_context` for a long prompt). Each is a scenario, so the user's catalog can change what it holds; scenarios the
 * catalog lacks are left out. Undefined: not a Claude id.
 */
export function claudeRoutes(model: string, catalog: Catalog, options: { thinking?: boolean }): Target[] | undefined {
  const name = model.trim().toLowerCase();
  if (!name.startsWith('claude-')) return undefined;
  const family = name.includes('haiku') ? 'background' : /sonnet|opus/.test(name) ? 'code' : undefined;
  const scenarios = [options.thinking ? 'reasoning' : undefined, family].filter(
    (s): s is string => s !== undefined && catalog.scenarios.has(s),
  );
  return [...scenarios.map((scenario) => ({ model: 'auto', scenario })), { model: 'auto' }];
}
