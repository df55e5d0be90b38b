// The dashboard's routes: the page and its two files (no data in them, so no key: a browser cannot send one on a
// navigation), and the data behind the key — an overview (free quota, cooldowns, the usage chart) and the live list
// of requests as server-sent events, read with fetch so the key travels in a header, never in a URL.
import { requestJson } from '../../core/request-record.ts';
import { formatDay } from '../../core/quota.ts';
import { stackedBarChart } from '../../lib/bar-chart.ts';
import { groupThousands } from '../../lib/numbers.ts';
import { sendJson, write, type Exchange } from '../exchange.ts';
import type { ServerRuntime } from '../runtime-port.ts';
import { DASHBOARD_CSS, DASHBOARD_HTML, DASHBOARD_JS } from './page.ts';

/** Only this origin's script and style, nothing inline, no frames, no forms posting elsewhere. */
export const DASHBOARD_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** The requests the live list starts with. */
const LIVE_LIST = 50;
/** Days of the usage chart. */
const CHART_DAYS = 30;

function sendStatic(ex: Exchange, type: string, body: string): void {
  ex.res.writeHead(200, {
    ...ex.baseHeaders,
    'content-type': `${type}; charset=utf-8`,
    'content-length': String(Buffer.byteLength(body)),
    'content-security-policy': DASHBOARD_CSP,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-cache',
  });
  ex.res.end(body);
  ex.log.status = 200;
}

export const dashboardPage = (ex: Exchange) => sendStatic(ex, 'text/html', DASHBOARD_HTML);
export const dashboardScript = (ex: Exchange) => sendStatic(ex, 'text/javascript', DASHBOARD_JS);
export const dashboardStyle = (ex: Exchange) => sendStatic(ex, 'text/css', DASHBOARD_CSS);

/** A browser asks for /favicon.ico with every page: there is none, and saying so needs no key. */
export function noFavicon(ex: Exchange): void {
  ex.res.writeHead(204, ex.baseHeaders);
  ex.res.end();
  ex.log.status = 204;
}

/** Free quota per tier, providers cooling down (why, until when), and the last 30 days' chart as text lines. */
export async function dashboardOverview(ex: Exchange, runtime: ServerRuntime): Promise<void> {
  const [quota, snapshot, usage] = await Promise.all([
    runtime.quotaReport(),
    runtime.snapshot(),
    runtime.usageReport(CHART_DAYS),
  ]);
  const chart = stackedBarChart(
    usage.days.map((d) => ({ label: formatDay(d.day).slice(5), low: d.free, high: d.paid })),
    { width: 100, format: (n) => groupThousands(Math.round(n * 10) / 10) },
  );
  const t = usage.total;
  sendJson(ex, 200, {
    quota,
    cooldowns: snapshot.cooldowns.map((c) => ({ ...c, until: new Date(c.until).toISOString() })),
    usage: {
      chart,
      summary: `${groupThousands(t.calls)} calls, ${groupThousands(t.inputTokens + t.outputTokens)} tokens in ${CHART_DAYS} days; free tiers saved $${t.saved.toFixed(2)}, paid $${t.paidCost.toFixed(2)} (list prices)`,
    },
  });
}

/**
 * The last requests, then each new one as it is logged (by this server or any chat), as server-sent events; polled
 * from the ledger every `pollMs`, until the client leaves or the server stops.
 */
export async function dashboardRequests(
  ex: Exchange,
  runtime: ServerRuntime,
  options: { pollMs: number; stopping: AbortSignal },
): Promise<void> {
  ex.res.writeHead(200, {
    ...ex.baseHeaders,
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    'x-accel-buffering': 'no',
  });
  ex.log.status = 200;
  const done = AbortSignal.any([ex.signal, options.stopping]);
  let last: number | undefined;
  let batch = await runtime.recentRequests({ limit: LIVE_LIST });
  while (!done.aborted) {
    for (const entry of batch) {
      await write(ex, `event: request\ndata: ${JSON.stringify(requestJson(entry))}\n\n`);
      last = entry.seq;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, options.pollMs);
      done.addEventListener('abort', () => resolve(clearTimeout(timer)), { once: true });
    });
    if (done.aborted) break;
    batch = await runtime.recentRequests({ limit: LIVE_LIST, afterSeq: last ?? 0 });
  }
  ex.res.end();
}
