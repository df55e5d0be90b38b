// The migration report's result table, as the seed's had it: providers, models, free models and total free quota.
// A free model has a free tier (running or not) or a deployment that costs nothing; the free quota is what the
// tiers grant each window, the figure `quota` prints on its totals line.
import { tierKey, type Catalog } from '../core/types.ts';

export interface Figure {
  metric: 'providers' | 'models' | 'free models' | 'free tokens a window';
  before: number;
  after: number;
  change: number;
}

export function catalogFigures(catalog: Catalog): Record<Figure['metric'], number> {
  const free = [...catalog.models.values()].filter((m) =>
    m.deployments.some(
      (d) =>
        catalog.freeTiers.has(tierKey(d.provider, m.id)) ||
        (d.price !== null && d.price.input === 0 && d.price.output === 0),
    ),
  );
  return {
    providers: catalog.providers.size,
    models: catalog.models.size,
    'free models': free.length,
    'free tokens a window': [...catalog.freeTiers.values()].reduce((sum, t) => sum + (t.tokens ?? 0), 0),
  };
}

export function compareFigures(before: Catalog, after: Catalog): Figure[] {
  const a = catalogFigures(before);
  const b = catalogFigures(after);
  return (Object.keys(a) as Figure['metric'][]).map((metric) => ({
    metric,
    before: a[metric],
    after: b[metric],
    change: b[metric] - a[metric],
  }));
}
