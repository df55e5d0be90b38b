// POST /v1/chat/completions, /v1/messages and /v1/responses: a wire request in, the ONE gateway loop (core/gateway.ts) in
// the middle, the same wire out. Nothing is written until the first token (or the whole answer) is there, so a
// fallback before the first byte is invisible to the client and a failure before it gets a real HTTP status.
// After the first byte there is no fallback: the wire's in-stream error event ends the stream.
import { estimateRequestTokens } from '../core/estimate.ts';
import { GatewayError, LookupError } from '../core/errors.ts';
import { PartialAnswerError, type ChatResult, type Fallback } from '../core/gateway.ts';
import type { Billing, ChatRequest } from '../core/types.ts';
import { CLAMP_HEADER, clampBudget, clampHeader } from './answer-clamp.ts';
import { readJson } from './body.ts';
import { httpErrorOf } from './error-map.ts';
import { CLIENT_GONE, sendJson, write, type Exchange } from './exchange.ts';
import { HttpError } from './http-error.ts';
import type { Limiter } from './limiter.ts';
import type { ChatTrace } from './request-log.ts';
import { claudeRoutes, type Target, targetOf } from './model-choice.ts';
import type { ServerRuntime } from './runtime-port.ts';
import type { WireRequest } from './wire/request.ts';
import { isAnswerEvent, type AnswerMeta, type Wire } from './wire/wire.ts';

export interface ChatDeps {
  runtime: ServerRuntime;
  limiter: Limiter;
  bodyLimit: number;
  /** `serve --allow-paid`. */
  allowPaid: boolean;
}

/** A request may narrow the server's consent to paid models (`x-llm-gateway-allow-paid: false`), never widen it. */
export const ALLOW_PAID_HEADER = 'x-llm-gateway-allow-paid';

export async function chatRoute(ex: Exchange, wire: Wire, deps: ChatDeps): Promise<void> {
  const request = wire.read(await readJson(ex.req, deps.bodyLimit));
  const { runtime } = deps;
  const {
    model: _asked,
    stream: _stream,
    includeUsage: _usage,
    thinking,
    dropped,
    answerShape: _shape,
    ...carried
  } = request;
  if (dropped) ex.log.dropped = dropped;
  const allowPaid = (deps.allowPaid || runtime.allowPaidSetting()) && !narrowed(ex.req.headers[ALLOW_PAID_HEADER]);
  const chatRequest: ChatRequest = {
    ...carried, // messages, max tokens, temperature, tools, tool choice, response format, stop
    ...(await chooseTarget({ ...carried, model: request.model, allowPaid }, thinking, runtime)),
    allowPaid,
    maxRateWaitMs: patienceOf(ex.req.headers[PATIENCE_HEADER]),
    signal: ex.signal,
  };
  ex.log.asked = request.model.slice(0, 100);
  const clamp = await clampBudget(await runtime.gateway(), chatRequest);
  if (clamp !== undefined && chatRequest.maxTokens !== undefined) {
    ex.log.clampedFrom = chatRequest.maxTokens;
    ex.baseHeaders[CLAMP_HEADER] = clampHeader(clamp, chatRequest.maxTokens);
    chatRequest.maxTokens = clamp.budget;
  }
  const release = await deps.limiter.acquire(ex.signal);
  try {
    await answer(ex, wire, request, chatRequest, runtime);
  } finally {
    release();
  }
}

/**
 * The model or scenario a request names. A Claude id goes to the catalog's model of that id when one of its providers
 * can answer now, else to the first of its family's routes that can (model-choice.ts): Claude Code works with
 * whatever keys the user has.
 */
async function chooseTarget(
  request: ChatRequest & { model: string },
  thinking: boolean | undefined,
  runtime: ServerRuntime,
): Promise<Target> {
  const catalog = runtime.catalog();
  const routes = claudeRoutes(request.model, catalog, { thinking });
  if (!routes) return targetOf(request.model, catalog);
  const gateway = await runtime.gateway();
  const exact = (() => {
    try {
      return [targetOf(request.model, catalog)];
    } catch (err) {
      if (err instanceof LookupError) return [];
      throw err;
    }
  })();
  const tried = [...exact, ...routes];
  for (const target of tried.slice(0, -1)) {
    if ((await gateway.plan({ ...request, ...target })).candidates.length > 0) return target;
  }
  return tried.at(-1)!; // `auto`: its failure says what every model lacked
}

/**
 * How long the client waits for an answer, in seconds: the OpenAI and Anthropic SDKs send their timeout here on every
 * request (`X-Stainless-Timeout`).
 */
export const PATIENCE_HEADER = 'x-stainless-timeout';

/**
 * How long a rate limit may be waited out for this client: half its timeout (the call asked again still has to
 * answer). A client that does not say gets no wait: a 429 with Retry-After at once, which every client handles.
 */
function patienceOf(header: string | string[] | undefined): number {
  const seconds = typeof header === 'string' && /^\d+$/.test(header.trim()) ? Number(header) : 0;
  return (seconds * 1000) / 2;
}

function narrowed(header: string | string[] | undefined): boolean {
  return typeof header === 'string' && /^(false|0|no|off)$/i.test(header.trim());
}

async function answer(
  ex: Exchange,
  wire: Wire,
  wireRequest: WireRequest,
  request: ChatRequest,
  runtime: ServerRuntime,
) {
  const gateway = await runtime.gateway();
  const now = runtime.now();
  const meta: AnswerMeta = {
    id: ex.id,
    created: Math.floor(now / 1000),
    inputEstimate: estimateRequestTokens(request),
  };
  const encoder = wireRequest.stream ? wire.stream(wireRequest, meta) : undefined;
  const asked = performance.now();
  const agent = ex.req.headers['user-agent'];
  const trace: ChatTrace = { at: now, ...(agent ? { client: agent.slice(0, 100) } : {}) };
  ex.chat = trace;
  const fallbacks: Fallback[] = [];
  let current: { model: string; provider: string; billing?: Billing } | undefined;
  let started = false;
  let result: ChatResult | undefined;
  ex.log.fallbacks = fallbacks;

  const startStream = () => {
    started = true;
    ex.res.writeHead(200, {
      ...ex.baseHeaders,
      ...answerHeaders(current!, fallbacks),
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      'x-accel-buffering': 'no',
      trailer: `x-llm-gateway-free-remaining, ${WARNING_HEADER}`,
    });
    ex.log.status = 200;
    return write(ex, encoder!.start(current!.model));
  };

  try {
    for await (const event of gateway.chat(request)) {
      if (event.type === 'attempt') {
        current = event;
        trace.billing = event.billing;
        ex.log.model = event.model;
        ex.log.provider = event.provider;
      } else if (event.type === 'fallback') {
        fallbacks.push(event.fallback);
      } else if (isAnswerEvent(event)) {
        trace.firstTokenMs ??= performance.now() - asked;
        if (event.type === 'reasoning-delta' && event.signature) meta.reasoningSignature = event.signature;
        if (!encoder) continue;
        // Any piece — text, reasoning, a tool call's start — is the first token: the stream begins, no fallback after.
        if (!started) await startStream();
        const out = encoder.event(event);
        if (out) await write(ex, out);
      } else if (event.type === 'done') {
        result = event.result;
      }
    }
  } catch (err) {
    trace.errorCode = err instanceof GatewayError ? err.code : 'bug';
    const partial = err instanceof PartialAnswerError ? err.partial : undefined;
    if (partial) countTokens(ex, partial);
    if (ex.signal.aborted) {
      ex.log.status = CLIENT_GONE; // the client went away; the gateway recorded what was used
      ex.log.error ??= 'client closed the connection';
      return;
    }
    const failure = httpErrorOf(err, { catalog: runtime.catalog(), secrets: runtime.secrets() });
    ex.log.error = failure.message;
    if (!started) throw failure;
    // A cut answer's message already says so ("the answer from X (p) was cut off: …"): said once.
    ex.res.end(encoder!.error(new HttpError(failure.kind, failure.message, failure.param, {}, failure.code)));
    return;
  }
  if (!result) throw new HttpError('api_error', 'the gateway ended without an answer');
  countTokens(ex, result);
  // Hints the answering provider could not take join those the wire itself did not forward.
  if (result.droppedHints?.length) ex.log.dropped = [...(ex.log.dropped ?? []), ...result.droppedHints];
  // Paid for: the answer goes out whatever the ledger did with it; the operator's log says what went wrong.
  if (result.usageNotRecorded !== undefined) ex.log.error = `usage not recorded: ${result.usageNotRecorded}`;
  else if (result.usageNotBelieved !== undefined) ex.log.error = `usage estimated: ${result.usageNotBelieved}`;
  if (encoder) {
    if (!started) await startStream();
    ex.res.addTrailers({ ...freeHeader(result), ...warningHeader(result) });
    ex.res.end(encoder.finish(result));
    return;
  }
  sendJson(ex, 200, wire.json(result, meta, wireRequest), {
    ...answerHeaders(result, fallbacks),
    ...freeHeader(result),
    ...warningHeader(result),
  });
}

/** Set on an answer the server could not record the usage of: it was paid for, so asking again pays twice. */
const WARNING_HEADER = 'x-llm-gateway-warning';

function warningHeader(result: ChatResult): Record<string, string> {
  return result.usageNotRecorded === undefined
    ? {}
    : {
        [WARNING_HEADER]:
          'usage not recorded: the server could not write its ledger (disk full or read-only); this answer is complete and was paid for, do not send the request again to get it',
      };
}

function countTokens(ex: Exchange, result: ChatResult): void {
  ex.log.inputTokens = result.usage.inputTokens;
  ex.log.outputTokens = result.usage.outputTokens;
}

/** Who answered, how it is billed, and each fallback taken on the way (one header line each). */
function answerHeaders(
  who: { model: string; provider: string; billing?: Billing },
  fallbacks: Fallback[],
): Record<string, string | string[]> {
  return {
    'x-llm-gateway-model': who.model,
    'x-llm-gateway-provider': who.provider,
    ...(who.billing ? { 'x-llm-gateway-billing': who.billing } : {}),
    ...(fallbacks.length
      ? { 'x-llm-gateway-fallback': fallbacks.map((f) => headerSafe(`${f.model} (${f.provider}): ${f.reason}`)) }
      : {}),
  };
}

function freeHeader(result: ChatResult): Record<string, string> {
  return result.freeRemaining === undefined ? {} : { 'x-llm-gateway-free-remaining': String(result.freeRemaining) };
}

/** Upstream text in a header: printable ASCII on one line, bounded. */
function headerSafe(text: string): string {
  return text.replace(/[^\x20-\x7e]+/g, ' ').slice(0, 300);
}
