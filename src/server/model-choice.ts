// What the `model` field of a request selects: `auto`, a scenario name (so a tool that only lets its user pick a
// model id can still pick `code` or `reasoning`), or a model — id, alias, upstream id or `provider:model`.
// An unknown one fails here (404 on the `model` field, with the nearest ids) before any quota is touched.
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
