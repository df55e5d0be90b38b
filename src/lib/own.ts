// Looking a name up in a plain object built from JSON (settings, keys, a migrated config): only the object's own
// entries count. `record[name]` would also find what every object inherits — a provider or scenario named
// `constructor` found Object itself there ("provider constructor already exists", a crash on `.join`).

/** `record[key]` when `record` itself has that entry, else undefined. */
export function own<T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}
