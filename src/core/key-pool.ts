// Key pools (issue 19.3): several keys for one provider. Each key counts its own windows and cooldowns unless the
// user says keys belong to one organisation (`--org NAME`): those share one window, since the provider counts them
// together and a second key of the same organisation adds no room. A key the provider rejected (401/403) is set
// aside alone: the others of its pool, even of its organisation, stay usable.

/** One key of a pool, as routing sees it: never the key itself, only what tells it apart. */
export interface PoolKey {
  /** Stable and safe to show: the key's position in the pool and its last four characters at most. */
  label: string;
  /** The organisation the user said the key belongs to; keys with the same one share one window. */
  org?: string;
}

/** The ledger window a key counts in: its organisation's, else its own. */
export function keyWindow(provider: string, key: PoolKey): string {
  return key.org ? `${provider}/org:${key.org}` : `${provider}/key:${key.label}`;
}

/** Why a key is not usable now; undefined when it is. */
export type KeyState = { kind: 'ready' } | { kind: 'cooling'; until: number } | { kind: 'rejected'; status: number };

/**
 * The key to use: of those neither rejected nor cooling down, the one whose window has the most room (a share of
 * its limits, 0..1; ties go to the first listed). Undefined when no key can take the call.
 */
export function pickKey(
  provider: string,
  pool: readonly PoolKey[],
  roomOf: (window: string) => number,
  stateOf: (key: PoolKey) => KeyState,
): PoolKey | undefined {
  let best: { key: PoolKey; room: number } | undefined;
  for (const key of pool) {
    if (stateOf(key).kind !== 'ready') continue;
    const room = roomOf(keyWindow(provider, key));
    if (room <= 0) continue;
    if (!best || room > best.room) best = { key, room };
  }
  return best?.key;
}

/** A provider's answer that says this key, and only it, is no good: the key is set aside, not the provider. */
export function rejectsKey(status: number): boolean {
  return status === 401 || status === 403;
}
