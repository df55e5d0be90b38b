// Gateway failures -> the status a client acts on, in the server's own words (the core's hints speak of CLI flags;
// the core's messages are plain statements). Decided from the failure's code and data (core/errors.ts), never
// from message text, through one map typed over every code: a new code cannot ship without its status here.
//   no candidate because of quota (used up, expired, paid not allowed, rate-limited) -> 429 + Retry-After at the
//   soonest moment one comes back; missing keys -> 503 naming the keys to add; failing providers cooling down ->
//   503 + Retry-After; the request itself (too long, a capability nobody has: images with no vision model) -> 400
//   on `messages`, code `missing_capability` naming what it needs when that is why; an unknown
//   model -> 404 on `model` (as OpenAI answers it); everything tried failed -> 502 (429 when all said quota, 400
//   when the prompt fit nowhere).
import {
  GatewayError,
  withoutSecrets,
  type Failure,
  type FailureCode,
  type FailureOf,
  type UpstreamErrorKind,
} from '../core/errors.ts';
import { limitFreesAt } from '../core/limits.ts';
import { tierKey, type Catalog, type RoutePlan, type Skip } from '../core/types.ts';
import { HttpError, type HttpErrorKind } from './http-error.ts';

export interface FailureContext {
  /** For a tier's next reset in Retry-After; absent when the failure came before the catalog was read. */
  catalog?: Catalog;
  secrets: Iterable<string>;
}

type Mapper<C extends FailureCode> = (failure: FailureOf<C>, message: string, ctx: FailureContext) => HttpError;

const simple =
  <C extends FailureCode>(kind: HttpErrorKind, param?: string): Mapper<C> =>
  (failure, message) =>
    new HttpError(kind, message, param, {}, failure.code);

const BY_CODE: { readonly [C in FailureCode]: Mapper<C> } = {
  invalid_input: simple('invalid_request'),
  config: (f) =>
    f.cause === 'locked'
      ? new HttpError(
          'unavailable',
          "the server's ledger is locked by another process; try again",
          undefined,
          { 'retry-after': '5' },
          'ledger_locked',
        )
      : f.cause === 'disk_full'
        ? new HttpError(
            'unavailable',
            "the server's disk is full: it cannot record usage, so it sends no request upstream; its operator should free some space",
            undefined,
            {},
            'disk_full',
          )
        : f.cause === 'unreachable'
          ? new HttpError(
              'unavailable',
              `the shared ledger at ${f.host ?? 'its database host'} cannot be reached: the server sends no request upstream it could not record; try again shortly`,
              undefined,
              { 'retry-after': '5' },
              'ledger_unreachable',
            )
          : new HttpError(
              'api_error',
              "the server's settings, keys or ledger cannot be read; its operator should run `llm-gateway doctor`",
              undefined,
              {},
              f.code,
            ),
  interrupted: simple('api_error'),
  unknown_model: (f) =>
    new HttpError(
      'not_found',
      `model: unknown model "${f.selector}"${f.nearest.length ? `; did you mean ${f.nearest.map((n) => `"${n}"`).join(', ')}?` : ''} (GET /v1/models lists the ids)`,
      'model',
      {},
      'model_not_found',
    ),
  broken_alias: (f) =>
    new HttpError(
      'not_found',
      `model: the alias "${f.alias}" points to "${f.target}", which is not a known model`,
      'model',
      {},
      'model_not_found',
    ),
  model_not_served: (f) =>
    new HttpError(
      'not_found',
      `model: ${f.provider} does not serve ${f.model} (it is served by ${f.servedBy.join(', ')})`,
      'model',
      {},
      'model_not_found',
    ),
  unknown_provider: (f) =>
    new HttpError(
      'not_found',
      `model: there is no provider "${f.provider}" (known: ${f.known.join(', ')})`,
      'model',
      {},
      'model_not_found',
    ),
  unknown_scenario: (f) =>
    new HttpError(
      'not_found',
      `model: there is no scenario "${f.scenario}" (known: ${f.known.join(', ')})`,
      'model',
      {},
      'model_not_found',
    ),
  no_models_listed: (f) =>
    new HttpError('unavailable', `${f.target} lists no model this server knows`, undefined, {}, f.code),
  no_candidate_quota: (f, _m, ctx) => {
    const quota = f.plan.skipped.filter(isQuotaSkip);
    const paid = f.plan.skipped.some(
      (s) => s.reason === 'paid_not_allowed' || ((s.reason === 'exhausted' || s.reason === 'expired') && s.payable),
    )
      ? '; paid models are off on this server (its operator can allow them with serve --allow-paid or allowPaid in settings.json)'
      : '';
    return new HttpError(
      'rate_limit',
      `no free quota left for ${describeTarget(f.plan)}: ${list(quota)}${paid}${passedOver(f.plan)}`,
      undefined,
      retryAfter(quota, f.plan, ctx),
      'no_free_quota',
    );
  },
  no_candidate_key: (f, _m, ctx) => {
    const keyless = f.plan.skipped.filter((s) => s.reason === 'no_key' || s.reason === 'key_invalid');
    const rejected = f.plan.skipped.filter(
      (s): s is Extract<Skip, { reason: 'key_rejected' }> => s.reason === 'key_rejected',
    );
    // An unusable key names its variable and what is wrong with it (never its value); a missing one where to put it.
    const keys = [
      ...new Map(
        keyless.map((s) => [
          s.provider,
          s.reason === 'key_invalid' ? s.detail : 'keyEnv' in s ? s.keyEnv[0] : undefined,
        ]),
      ).entries(),
    ].map(([id, env]) => (env ? `${id} (${env}, or \`llm-gateway providers add ${id}\`)` : id));
    // A stored key the provider refused is not a missing one: say so, and when it is tried again, as chat does.
    const refusals = [...new Map(rejected.map((s) => [s.provider, s])).values()].map(
      (s) =>
        `${s.providerName} rejected its key${s.cooldownReason ? ` (${s.cooldownReason})` : ''}; replace it with \`llm-gateway providers add ${s.provider}\`${s.keyEnv[0] ? ` or ${s.keyEnv[0]}` : ''} (otherwise retried after ${new Date(s.until).toISOString().slice(11, 19)} UTC)`,
    );
    const missing = keys.length
      ? `no provider for ${describeTarget(f.plan)} has a usable key; add one for ${keys.join(', ')} — the running server uses it from the next request on`
      : '';
    const message = [
      refusals.length ? `no provider for ${describeTarget(f.plan)} has a key it accepts: ${refusals.join('; ')}` : '',
      missing,
    ]
      .filter(Boolean)
      .join('; ');
    return new HttpError(
      'unavailable',
      `${message}${passedOver(f.plan)}`,
      undefined,
      rejected.length ? retryAfter(rejected, f.plan, ctx) : {},
      'no_provider_key',
    );
  },
  no_candidate_config: (f) => {
    const misconfigured = f.plan.skipped.filter((s) => s.reason === 'endpoint_invalid');
    return new HttpError(
      'api_error',
      `no provider for ${describeTarget(f.plan)} is configured usably on the server: ${list(misconfigured)}; its operator should fix that variable${passedOver(f.plan)}`,
      undefined,
      {},
      'provider_misconfigured',
    );
  },
  no_candidate_down: (f, _m, ctx) => {
    const down = f.plan.skipped.filter((s) => s.reason === 'cooling_down' || s.reason === 'key_rejected');
    return new HttpError(
      'unavailable',
      `every provider for ${describeTarget(f.plan)} is failing and cooling down: ${list(down)}${passedOver(f.plan)}`,
      undefined,
      retryAfter(down, f.plan, ctx),
      'providers_down',
    );
  },
  no_candidate_request: (f) => {
    const needs = neededCapabilities(f.plan.skipped);
    const why = needs.length ? `, which needs ${needs.join(' and ')}` : '';
    return new HttpError(
      'invalid_request',
      `no model can take this request (${describeTarget(f.plan)})${why}: ${list(f.plan.skipped)}`,
      'messages',
      {},
      needs.length ? 'missing_capability' : 'no_model_fits',
    );
  },
  all_failed_quota: (f) =>
    new HttpError(
      'rate_limit',
      `every provider tried is out of quota or rate-limited: ${fallbacks(f)}`,
      undefined,
      { 'retry-after': '60' },
      'no_free_quota',
    ),
  all_failed_rate_limit: (f) =>
    new HttpError(
      'rate_limit',
      `every provider tried is rate-limited for longer than this request waits: ${fallbacks(f)}`,
      undefined,
      { 'retry-after': String(Math.max(1, Math.ceil((f.retryAfterMs ?? 60_000) / 1000))) },
      'rate_limited',
    ),
  all_failed_auth: (f) =>
    new HttpError(
      'upstream_failed',
      `every provider tried rejected its key: ${fallbacks(f)}`,
      undefined,
      {},
      'upstream_auth',
    ),
  all_failed_context: (f) =>
    new HttpError(
      'invalid_request',
      `the prompt is too long for every model tried: ${fallbacks(f)}`,
      'messages',
      {},
      'context_length_exceeded',
    ),
  all_failed: (f) =>
    new HttpError('upstream_failed', `every provider tried failed: ${fallbacks(f)}`, undefined, {}, 'upstream_failed'),
  upstream: (f, message) => new HttpError(UPSTREAM_KIND[f.kind], message, undefined, {}, `upstream_${f.kind}`),
  answer_cut: (f, message) => new HttpError('upstream_failed', message, undefined, {}, 'answer_cut'),
  // Raised by `chat --schema` only; the server passes answers on unchecked.
  answer_invalid: (f, message) => new HttpError('upstream_failed', message, undefined, {}, 'answer_invalid'),
};

/** An upstream failure that ended the call with no fallback: what the client sees. */
const UPSTREAM_KIND: { readonly [K in UpstreamErrorKind]: HttpErrorKind } = {
  connection: 'upstream_failed',
  timeout: 'timeout',
  rate_limit: 'rate_limit',
  quota: 'rate_limit',
  server: 'upstream_failed',
  auth: 'upstream_failed',
  not_found: 'upstream_failed',
  context_length: 'invalid_request',
  bad_request: 'invalid_request', // the provider says the request is wrong: another model would not help
  protocol: 'upstream_failed',
  billing: 'upstream_failed', // the provider account's credit or billing: the server's operator must act, not the client
  retired: 'upstream_failed',
  too_large: 'request_too_large',
  aborted: 'api_error',
};

export function httpErrorOf(err: unknown, ctx: FailureContext): HttpError {
  if (err instanceof HttpError) return err;
  if (!(err instanceof GatewayError)) {
    return new HttpError(
      'api_error',
      'internal error in llm-gateway; this is a bug worth reporting',
      undefined,
      {},
      'internal_error',
    );
  }
  const failure = err.failure as Failure;
  const mapped = (BY_CODE[failure.code] as Mapper<FailureCode>)(failure, err.message.replace(/\n\s*/g, ' '), ctx);
  // Upstream text can quote anything, a key included: the last line of defence.
  return new HttpError(
    mapped.kind,
    withoutSecrets(mapped.message, ctx.secrets),
    mapped.param,
    mapped.headers,
    mapped.code,
  );
}

/** What a request asks for that a model may lack (the router's capability names), in a client's words. */
const CAPABILITY_WORDS: Record<string, string> = {
  vision: 'images (vision)',
  tools: 'tool calling',
  json: 'JSON output',
};

/** The capabilities models were passed over for, each once, in a client's words. */
function neededCapabilities(skips: Skip[]): string[] {
  const missing = new Set(skips.flatMap((s) => (s.reason === 'missing_capability' ? s.missing : [])));
  return [...missing].map((c) => CAPABILITY_WORDS[c] ?? c);
}

/**
 * Models passed over because the request needs what they lack (images for a text-only model), said beside another
 * cause: a key or quota would not make them answer it.
 */
function passedOver(plan: RoutePlan): string {
  const lacking = plan.skipped.filter((s) => s.reason === 'missing_capability');
  if (!lacking.length) return '';
  return `; the request needs ${neededCapabilities(lacking).join(' and ')}, which ${lacking.map((s) => `${s.model} (${s.provider})`).join(', ')} ${lacking.length === 1 ? 'lacks' : 'lack'}`;
}

function isQuotaSkip(s: Skip): boolean {
  return (
    s.reason === 'exhausted' ||
    s.reason === 'expired' ||
    s.reason === 'paid_not_allowed' ||
    (s.reason === 'cooling_down' && s.cooldownKind !== 'down' && s.cooldownKind !== 'auth')
  );
}

function describeTarget(plan: RoutePlan): string {
  return plan.scenario ? `scenario ${plan.scenario}` : plan.target;
}

function list(skips: Skip[]): string {
  return skips.map((s) => `${s.model} (${s.provider}): ${s.detail}`).join('; ');
}

function fallbacks(
  f: FailureOf<'all_failed' | 'all_failed_quota' | 'all_failed_rate_limit' | 'all_failed_auth' | 'all_failed_context'>,
): string {
  return f.fallbacks.map((x) => `${x.model} (${x.provider}): ${x.reason}`).join('; ');
}

/** Retry-After at the soonest moment one of these skips lifts: a cooldown's end, or a free tier's next reset. */
function retryAfter(skips: Skip[], plan: RoutePlan, ctx: FailureContext): Record<string, string> {
  let soonest: number | undefined;
  for (const s of skips) {
    let at: number | undefined;
    if (s.reason === 'cooling_down' || s.reason === 'key_rejected') at = s.until;
    else if (s.reason === 'exhausted') {
      const tier = ctx.catalog?.freeTiers.get(tierKey(s.provider, s.model));
      at = s.until ?? (tier ? limitFreesAt(tier, s.limit, plan.at) : undefined);
    }
    if (at !== undefined && at > plan.at && (soonest === undefined || at < soonest)) soonest = at;
  }
  return soonest === undefined ? {} : { 'retry-after': String(Math.max(1, Math.ceil((soonest - plan.at) / 1000))) };
}
