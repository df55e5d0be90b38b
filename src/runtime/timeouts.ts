// How long a provider may stay silent: settings' timeouts, or one figure given for this run.
import type { Timeouts } from '../core/types.ts';
import type { Settings } from '../store/settings.ts';

export const DEFAULT_TIMEOUTS: Timeouts = { connectMs: 30_000, idleMs: 120_000 };

/** `timeoutSeconds` (a flag, a request's own limit) overrides both timeouts. */
export function timeoutsFor(settings: Settings, timeoutSeconds?: number): Timeouts {
  if (timeoutSeconds) return { connectMs: timeoutSeconds * 1000, idleMs: timeoutSeconds * 1000 };
  return {
    connectMs: settings.timeouts?.connectMs ?? DEFAULT_TIMEOUTS.connectMs,
    idleMs: settings.timeouts?.idleMs ?? DEFAULT_TIMEOUTS.idleMs,
  };
}
