// The server's view of the shared runtime (ServerRuntime): the same runtime and gateway factory the other commands
// use. A request first calls runtime.refresh() — a stat per loaded file — at most once per CONFIG_RECHECK_MS, so a
// key added with `providers add`, or a tier changed with `quota set`, is used within that time without a restart,
// and a busy server does not stat two files per request.
import type { Gateway } from '../../core/gateway.ts';
import { usageReport } from '../../runtime/usage-report.ts';
import type { Runtime } from '../../runtime/runtime.ts';
import type { ServerRuntime } from '../../server/runtime-port.ts';
import { quotaJson, quotaView } from '../../runtime/quota-report.ts';

const DAY_MS = 86_400_000;
/** How long a look at settings.json and keys.json is trusted; `LLM_GATEWAY_CONFIG_RECHECK_MS` sets it (0: always). */
const CONFIG_RECHECK_MS = 250;

export function serverRuntimeOf(runtime: Runtime): ServerRuntime {
  let gateway: Gateway | undefined;
  const recheckMs = recheckInterval(runtime.env.LLM_GATEWAY_CONFIG_RECHECK_MS);
  // A monotonic clock, not runtime.now(): LLM_GATEWAY_NOW fixes the quota clock, never how often files are looked at.
  let lookedAt = Number.NEGATIVE_INFINITY;
  const refresh = () => {
    const at = performance.now();
    if (at - lookedAt < recheckMs) return;
    lookedAt = at;
    if (runtime.refresh()) gateway = undefined;
  };
  return {
    async gateway() {
      refresh();
      // allowPaid here is only the default; every request passes its own (the server's consent, maybe narrowed).
      return (gateway ??= await runtime.gateway({ allowPaid: false }));
    },
    // A request names its model against the catalog before it reaches the gateway: that lookup must see a model or
    // scenario added since the last request too, not only a key.
    catalog: () => {
      refresh();
      return runtime.catalog();
    },
    snapshot: () => runtime.snapshot(),
    now: () => runtime.now(),
    allowPaidSetting: () => runtime.settings().allowPaid === true,
    async quotaReport() {
      refresh();
      const snapshot = await runtime.snapshot();
      return quotaJson(quotaView(runtime.catalog(), snapshot, runtime.keyedProviders(), runtime.now()));
    },
    // The request log lives in the ledger (ledger.db, or the shared database), as chat's does; reading it before any
    // request creates no file.
    recordRequests: async (records) => (await runtime.activity()).record(...records),
    recentRequests: async (query) => (runtime.hasLedger() ? (await runtime.activity()).recent(query) : []),
    usageReport(days) {
      const now = runtime.now();
      const until = now - (now % DAY_MS);
      return usageReport(runtime, { since: until - (days - 1) * DAY_MS, until, by: 'day' });
    },
    secrets() {
      const fromEnv = Object.entries(runtime.env)
        .filter(([name, value]) => value && /(_API_KEY|_AUTH_TOKEN|_SERVER_KEY)$/.test(name))
        .map(([, value]) => value as string);
      return [...fromEnv, ...Object.values(runtime.storedKeys()).map((k) => k.key)];
    },
  };
}

function recheckInterval(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return CONFIG_RECHECK_MS;
  const ms = Number(value);
  return Number.isFinite(ms) && ms >= 0 ? ms : CONFIG_RECHECK_MS;
}
