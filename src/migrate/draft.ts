// The migration as it is being planned: copies of the user's settings and keys that the planners change, the
// usage rows to add to the ledger, and what each step did, skipped or found in conflict, for the report. Nothing
// here touches a file: the plan is data until every part of it has been validated.
import { buildCatalog, type CatalogData, type DeploymentData } from '../core/catalog.ts';
import type { Catalog } from '../core/types.ts';
import type { StoredKeys } from '../store/keys.ts';
import { settingsCatalogLayer, type Settings } from '../store/settings.ts';
import type { Source } from './source.ts';

export type ItemKind = 'provider' | 'model' | 'key' | 'base URL' | 'free tier' | 'usage' | 'scenario' | 'variable';

/** One thing the migration imported, found already in place, or skipped (then `detail` says why). */
export interface PlanItem {
  kind: ItemKind;
  subject: string;
  detail: string;
  /** The source file it came from. */
  file: string;
}

/** Something llm-gateway already has that the source would change: kept, or replaced under --force. */
export interface PlanConflict {
  kind: ItemKind;
  subject: string;
  current: string;
  source: string;
  file: string;
  resolution: 'kept' | 'replaced';
}

/** Tokens the old service counted in a window that is still running, carried into the ledger as one usage row. */
export interface UsageImport {
  /** Names the tier and the window, so running the migration again finds the row instead of adding another. */
  requestId: string;
  provider: string;
  model: string;
  tierKey: string;
  tokens: number;
  at: number;
  /** The tokens of a row imported before for the same window, which this one replaces (--force). */
  replaces?: number;
}

export interface PlanInput {
  source: Source;
  settings: Settings;
  keys: StoredKeys;
  builtIn: CatalogData;
  /** Tokens a previous migration recorded under this request id, if any. */
  importedUsage(requestId: string): number | undefined;
  now: number;
  force: boolean;
}

export class Draft {
  readonly settings: Settings;
  readonly keys: StoredKeys;
  readonly usage: UsageImport[] = [];
  readonly imported: PlanItem[] = [];
  readonly unchanged: PlanItem[] = [];
  readonly skipped: PlanItem[] = [];
  readonly conflicts: PlanConflict[] = [];

  /** How many times the catalog was built: each build reads every model, so a plan must not build one per entry. */
  catalogBuilds = 0;
  private built: Catalog | undefined;
  /** The user's model entries by id, made on first use and kept up to date by addModel and addDeployment. */
  private modelEntries: Map<string, NonNullable<Settings['models']>[number]> | undefined;

  constructor(readonly input: PlanInput) {
    this.settings = structuredClone(input.settings);
    this.keys = structuredClone(input.keys);
  }

  get now(): number {
    return this.input.now;
  }

  /**
   * The catalog as the plan stands so far: built again only after a change to settings. Every change to what the
   * catalog is built from goes through this class's methods, or is followed by `changed()`.
   */
  catalog(): Catalog {
    if (!this.built) {
      this.catalogBuilds += 1;
      this.built = buildCatalog(this.input.builtIn, settingsCatalogLayer(this.settings));
    }
    return this.built;
  }

  /** Settings changed outside the methods below: the next `catalog()` is built afresh. */
  changed(): void {
    this.built = undefined;
  }

  add(kind: ItemKind, subject: string, detail: string, file: string): void {
    this.imported.push({ kind, subject, detail, file });
  }

  same(kind: ItemKind, subject: string, detail: string, file: string): void {
    this.unchanged.push({ kind, subject, detail, file });
  }

  skip(kind: ItemKind, subject: string, reason: string, file: string): void {
    this.skipped.push({ kind, subject, detail: reason, file });
  }

  /** Records a conflict; true when --force says the source wins. */
  conflict(kind: ItemKind, subject: string, current: string, source: string, file: string): boolean {
    const resolution = this.input.force ? 'replaced' : 'kept';
    this.conflicts.push({ kind, subject, current, source, file, resolution });
    return this.input.force;
  }

  setProvider(id: string, fields: NonNullable<Settings['providers']>[string]): void {
    this.settings.providers = { ...this.settings.providers, [id]: fields };
    this.changed();
  }

  /** Adds a model entry the user's settings do not have yet. */
  addModel(entry: NonNullable<Settings['models']>[number]): void {
    (this.settings.models ??= []).push(entry);
    this.entries().set(entry.id, entry);
    this.changed();
  }

  /** Adds a deployment to the user's entry for a model, creating the entry if there is none. */
  addDeployment(modelId: string, deployment: DeploymentData): void {
    const entry = this.entries().get(modelId);
    if (entry)
      entry.deployments = [...(entry.deployments ?? []).filter((d) => d.provider !== deployment.provider), deployment];
    else this.addModel({ id: modelId, deployments: [deployment] });
    this.changed();
  }

  private entries(): Map<string, NonNullable<Settings['models']>[number]> {
    if (!this.modelEntries) {
      this.modelEntries = new Map();
      // The first entry of an id wins, as `find` would have found it.
      for (const m of this.settings.models ?? []) if (!this.modelEntries.has(m.id)) this.modelEntries.set(m.id, m);
    }
    return this.modelEntries;
  }
}

/** Base URLs equal up to trailing slashes and, for Anthropic (whose SDK adds it), one trailing `/v1`. */
export function sameBaseUrl(a: string, b: string, protocol: string): boolean {
  const norm = (url: string) => {
    const trimmed = url.trim().replace(/\/+$/, '');
    return protocol === 'anthropic' ? trimmed.replace(/\/v1$/, '') : trimmed;
  };
  return norm(a) === norm(b);
}
