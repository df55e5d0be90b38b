// serve's GET /metrics in the Prometheus text format (version 0.0.4), written here rather than with prom-client:
// what is counted is a handful of maps updated once per request, which costs the hot path a few map lookups, and
// the exposition is built only when scraped. Labels take only bounded values — known routes, statuses, the model and
// provider that answered (catalog ids), billing kinds, fallback codes — never a client's free text.
import type { ChatTrace, LogEntry } from './request-log.ts';

/** Seconds: from a fast local model's first token to a long answer. */
const BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

class Counter {
  readonly values = new Map<string, number>();
  add(labels: string, by = 1): void {
    this.values.set(labels, (this.values.get(labels) ?? 0) + by);
  }
}

class Histogram {
  readonly series = new Map<string, { buckets: number[]; sum: number; count: number }>();
  observe(labels: string, seconds: number): void {
    let s = this.series.get(labels);
    if (!s) this.series.set(labels, (s = { buckets: BUCKETS.map(() => 0), sum: 0, count: 0 }));
    for (let i = 0; i < BUCKETS.length; i++) if (seconds <= BUCKETS[i]!) s.buckets[i]! += 1;
    s.sum += seconds;
    s.count += 1;
  }
}

/** A label value escaped as the format says (backslash, quote, newline); most need nothing, and cost no copy. */
const escapeValue = (v: string) =>
  /[\\"\n]/.test(v) ? v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n') : v;

/** `name="value",…`: the key of a series in its family's map, and its text in the exposition. */
function labels(pairs: Record<string, string>): string {
  let out = '';
  for (const name in pairs) out += `${out ? ',' : ''}${name}="${escapeValue(pairs[name]!)}"`;
  return out;
}

/** What the server knows only at scrape time. */
export interface MetricsState {
  inFlight: number;
  queued: number;
  /** Free tokens left in each tier's current window. */
  tiers: Array<{ provider: string; model: string; remaining: number }>;
}

export class Metrics {
  private readonly requests = new Counter();
  private readonly tokens = new Counter();
  private readonly fallbacks = new Counter();
  private readonly latency = new Histogram();
  private readonly firstToken = new Histogram();

  constructor(private readonly knownRoutes: ReadonlySet<string>) {}

  /** Counts one finished request (every route); `chat` when it went through the gateway. */
  observe(entry: LogEntry, chat: ChatTrace | undefined): void {
    const route = this.knownRoutes.has(entry.route) ? entry.route : 'other';
    this.requests.add(labels({ route, status: String(entry.status), model: chat ? (entry.model ?? '') : '' }));
    if (!chat) return;
    for (const f of entry.fallbacks ?? []) this.fallbacks.add(labels({ reason: f.code ?? 'other' }));
    if (!entry.model || !entry.provider) return;
    const who = { provider: entry.provider, model: entry.model };
    const billing = chat.billing ?? '';
    if (entry.inputTokens) this.tokens.add(labels({ ...who, billing, direction: 'input' }), entry.inputTokens);
    if (entry.outputTokens) this.tokens.add(labels({ ...who, billing, direction: 'output' }), entry.outputTokens);
    this.latency.observe(labels(who), entry.ms / 1000);
    if (chat.firstTokenMs !== undefined) this.firstToken.observe(labels(who), chat.firstTokenMs / 1000);
  }

  /** The exposition: every family with its HELP and TYPE, then its samples. */
  render(state: MetricsState): string {
    const out: string[] = [];
    const family = (name: string, type: string, help: string) =>
      out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    const counter = (name: string, help: string, c: Counter) => {
      family(name, 'counter', help);
      for (const [l, v] of c.values) out.push(`${name}{${l}} ${v}`);
    };
    const histogram = (name: string, help: string, h: Histogram) => {
      family(name, 'histogram', help);
      for (const [l, s] of h.series) {
        for (const [i, le] of BUCKETS.entries()) out.push(`${name}_bucket{${l},le="${le}"} ${s.buckets[i]}`);
        out.push(
          `${name}_bucket{${l},le="+Inf"} ${s.count}`,
          `${name}_sum{${l}} ${s.sum}`,
          `${name}_count{${l}} ${s.count}`,
        );
      }
    };
    counter(
      'llm_gateway_requests_total',
      'HTTP requests answered, by route, status and the model that answered.',
      this.requests,
    );
    counter(
      'llm_gateway_tokens_total',
      'Tokens used, by provider, model, billing kind (free-tier, free, paid) and direction (input, output).',
      this.tokens,
    );
    counter('llm_gateway_fallbacks_total', 'Candidates moved past, by reason (the fallback code).', this.fallbacks);
    histogram(
      'llm_gateway_upstream_latency_seconds',
      'Time from a chat request to the end of its answer, by the provider and model that answered.',
      this.latency,
    );
    histogram(
      'llm_gateway_first_token_seconds',
      "Time from a chat request to its answer's first token, by the provider and model that answered.",
      this.firstToken,
    );
    family('llm_gateway_free_tokens_remaining', 'gauge', "Free tokens left in each free tier's current window.");
    for (const t of state.tiers)
      out.push(`llm_gateway_free_tokens_remaining{${labels({ provider: t.provider, model: t.model })}} ${t.remaining}`);
    family('llm_gateway_requests_in_flight', 'gauge', 'Upstream calls running now.');
    out.push(`llm_gateway_requests_in_flight ${state.inFlight}`);
    family('llm_gateway_requests_queued', 'gauge', 'Requests waiting for an upstream slot.');
    out.push(`llm_gateway_requests_queued ${state.queued}`);
    return `${out.join('\n')}\n`;
  }
}
