// Route planning: which (model, deployment) pairs may answer a request, in what order, and why each other one may
// not. A pure function: the catalog, the ledger snapshot, the providers that have a key and the clock all come in
// as arguments, so `--explain`, the gateway and the tests all see the same plan for the same inputs.
//
// THE RULES
// 1. Target. No model, or `auto`: the scenario is `request.scenario`, else `long_context` when the prompt is
//    estimated above `longPromptTokens` (16,000 by default), else `default`; its models come from the catalog's
//    scenarios, in order (an unknown scenario is a LookupError carrying the known ones). A named model (id, alias,
//    upstream id or `provider:model`) gives that model's deployments only, or just the pinned one; the scenario is
//    then ignored, and an unknown name is a LookupError carrying the nearest ids. A deployment listed twice is
//    considered once; a scenario entry naming a model the catalog lacks is passed over.
// 2. Each deployment considered becomes a candidate or a skip with one reason, checked in this order:
//    provider not configured -> no_key; lacks a required capability (the request's, plus the scenario's own name
//    when it is one: code, reasoning, long_context) -> missing_capability; prompt + answer budget (max output
//    tokens, else 1,024) larger than its context window -> context_too_small; larger than the deployment's
//    published tokens-per-minute limit (a request the provider would refuse with 413) -> over_rate_window; an unusable key (a space in its variable) -> key_invalid; its base URL variable unusable -> endpoint_invalid; no key -> no_key; the provider's key
//    rejected (an `auth` cooldown on the provider) -> key_rejected; otherwise the longest-lasting cooldown on the
//    deployment or its provider: `exhausted` on the deployment (its quota used up upstream) -> exhausted, even
//    with allowPaid (the upstream refuses the call however we would bill it); any other -> cooling_down.
//    Cooldowns whose `until` is not after `now` are ignored.
// 3. Billing. A deployment with a free tier that is still running and has room for prompt + answer budget is a
//    `free-tier` candidate. Once the tier has expired or lacks room, the deployment is billed as if it had no tier,
//    and when that is not allowed the skip names the tier's state (expired / exhausted). Without a tier: price
//    0/0 is `free`; any other price, or an unknown one, is `paid`: a candidate only with allowPaid, else skipped
//    as paid_not_allowed.
// 4. Order. Free-tier candidates first, the one whose tokens lapse soonest (next reset or expiry) first, ties in
//    list order; then free ones in list order; then paid ones in list order of their models, a model's cheaper
//    deployments first (estimated cost of this request) and unknown prices last.
import { contextWindowOf, freeTierOf, resolveModel, type ResolvedSelector } from './catalog.ts';
import { LookupError } from './errors.ts';
import { blockingLimit, headlineRemaining, limitStates, tierLapsesAt, tierNextReset } from './limits.ts';
import { expiresAt, hasStarted, isExpired, tierLapse } from './quota.ts';
import {
  tierKey,
  type Candidate,
  type Capability,
  type Catalog,
  type Deployment,
  type KeyProblem,
  type EndpointProblem,
  type LedgerSnapshot,
  type ModelSpec,
  type ProviderSpec,
  type RoutePlan,
  type RouteRequest,
  type Skip,
  type SkipWhy,
} from './types.ts';
import { cooldownSkip, describeExhausted, describeKeyProblem, describePrice } from './router-detail.ts';
import { groupThousands } from '../lib/numbers.ts';
import { answerBudget, DEFAULT_ANSWER_TOKENS } from './answer-budget.ts';

/** Tokens assumed for an OpenAI-compatible answer when the request gives no max tokens (see answer-budget.ts). */
export const DEFAULT_OUTPUT_RESERVE = DEFAULT_ANSWER_TOKENS.openai;
/** Prompts estimated above this many tokens make `auto` pick the long_context scenario. */
export const DEFAULT_LONG_PROMPT_TOKENS = 16_000;
/** Scenarios that are also capabilities: every model routed for them must have that capability. */
export const CAPABILITY_SCENARIOS: ReadonlySet<string> = new Set(['code', 'reasoning', 'long_context']);

export interface RouteInput {
  catalog: Catalog;
  snapshot: LedgerSnapshot;
  /** Providers for which a key is available (no key values ever reach the router). */
  keyedProviders: ReadonlySet<string>;
  /** Providers whose key is unusable, and why: each is passed over with its reason, the others planned as usual. */
  invalidKeys?: ReadonlyMap<string, KeyProblem>;
  /** Providers whose base URL from the environment cannot be used, and why: each is passed over, the others planned. */
  endpointProblems?: ReadonlyMap<string, EndpointProblem>;
  request: RouteRequest;
  /** Epoch ms. */
  now: number;
  /** Prompts estimated above this many tokens make `auto` pick the long_context scenario. Default 16000. */
  longPromptTokens?: number;
}

/** True when the request leaves the model to the router. */
export function isAuto(model: string | undefined): boolean {
  return model === undefined || model.trim() === '' || model.trim().toLowerCase() === 'auto';
}

/** The scenario an `auto` request runs under. */
export function scenarioFor(request: RouteRequest, longPromptTokens = DEFAULT_LONG_PROMPT_TOKENS): string {
  return request.scenario ?? (request.inputTokens > longPromptTokens ? 'long_context' : 'default');
}

/** Tokens a call to this provider may use: the prompt plus its answer budget. What must fit the window and the free tier. */
export function neededTokens(request: RouteRequest, provider: ProviderSpec): number {
  return request.inputTokens + answerBudget(provider, request.maxOutputTokens);
}

export function planRoute(input: RouteInput): RoutePlan {
  const { target, scenario, pairs, required, unknownModels } = resolveTarget(input);
  const freeTier: { candidate: Candidate; lapse: number }[] = [];
  const free: Candidate[] = [];
  const paid: { candidate: Candidate; group: number; cost: number }[] = [];
  const skipped: Skip[] = [];
  const groups = new Map<string, number>(); // model id -> rank of its first appearance: keeps a model together

  for (const pair of pairs) {
    const outcome = evaluate(input, pair, required);
    if ('skip' in outcome) {
      skipped.push(outcome.skip);
    } else if (outcome.candidate.billing === 'free-tier') {
      freeTier.push({ candidate: outcome.candidate, lapse: outcome.lapse });
    } else if (outcome.candidate.billing === 'free') {
      free.push(outcome.candidate);
    } else {
      if (!groups.has(pair.model.id)) groups.set(pair.model.id, groups.size);
      paid.push({ candidate: outcome.candidate, group: groups.get(pair.model.id)!, cost: outcome.cost });
    }
  }
  // Array.prototype.sort is stable, so equal keys keep list order.
  freeTier.sort((a, b) => a.lapse - b.lapse);
  paid.sort((a, b) => a.group - b.group || compareCost(a.cost, b.cost));
  const candidates = [...freeTier.map((f) => f.candidate), ...free, ...paid.map((p) => p.candidate)];
  return {
    at: input.now,
    target,
    ...(scenario === undefined ? {} : { scenario }),
    candidates,
    skipped,
    ...(unknownModels?.length ? { unknownModels } : {}),
  };
}

interface Pair {
  model: ModelSpec;
  deployment: Deployment;
}

interface Target {
  target: string;
  scenario?: string;
  pairs: Pair[];
  required: Capability[];
  unknownModels?: string[];
}

/** Rule 1: what the request names, as the (model, deployment) pairs to consider and the capabilities they need. */
function resolveTarget(input: RouteInput): Target {
  const { catalog, request } = input;
  const pairs = new Map<string, Pair>(); // keyed by tierKey: the first listing of a deployment wins
  const add = (selector: string): ResolvedSelector => {
    const resolved = resolveModel(catalog, selector);
    for (const deployment of resolved.model.deployments) {
      const key = tierKey(deployment.provider, resolved.model.id);
      const wanted = resolved.provider === undefined || resolved.provider === deployment.provider;
      if (wanted && !pairs.has(key)) pairs.set(key, { model: resolved.model, deployment });
    }
    return resolved;
  };
  const capabilities = request.capabilities ?? [];

  if (!isAuto(request.model)) {
    const { model, provider } = add(request.model!.trim());
    const target = provider ? tierKey(provider, model.id) : model.id;
    return { target, pairs: [...pairs.values()], required: capabilities };
  }

  const scenario = scenarioFor(request, input.longPromptTokens);
  const ids = catalog.scenarios.get(scenario);
  if (!ids) {
    const known = [...catalog.scenarios.keys()];
    throw new LookupError({ code: 'unknown_scenario', scenario, known }, `unknown scenario "${scenario}"`);
  }
  const unknownModels: string[] = [];
  for (const id of ids) {
    // A scenario naming a model the catalog no longer has is the settings' problem, not this request's: such an
    // entry is passed over (and named in the plan) rather than failing every `auto` call.
    try {
      add(id);
    } catch (err) {
      if (!(err instanceof LookupError)) throw err;
      unknownModels.push(id);
    }
  }
  const required = CAPABILITY_SCENARIOS.has(scenario) ? [...new Set([...capabilities, scenario])] : capabilities;
  return { target: `scenario:${scenario}`, scenario, pairs: [...pairs.values()], required, unknownModels };
}

type Outcome = { skip: Skip } | { candidate: Candidate; lapse: number; cost: number };
type Block = SkipWhy;

function evaluate(input: RouteInput, pair: Pair, required: Capability[]): Outcome {
  const provider = input.catalog.providers.get(pair.deployment.provider);
  const id = pair.deployment.provider;
  const blocked = provider
    ? check(input, pair, provider, required)
    : { reason: 'no_key' as const, configured: false, keyEnv: [], detail: `provider "${id}" is not configured` };
  if (blocked) return { skip: skipOf(pair, id, blocked) };
  return bill(input, pair, provider!);
}

/** Rule 2: the first check a deployment of a known provider fails, if any. */
function check(input: RouteInput, pair: Pair, provider: ProviderSpec, required: Capability[]): Block | undefined {
  const { request, now } = input;
  const { model, deployment } = pair;
  const missing = required.filter((c) => !model.capabilities.includes(c));
  if (missing.length) {
    const has = model.capabilities.join(', ') || 'nothing';
    return { reason: 'missing_capability', missing, detail: `lacks ${missing.join(', ')} (has ${has})` };
  }
  const needed = neededTokens(request, provider);
  const window = contextWindowOf(model, deployment);
  if (needed > window) {
    const answerTokens = needed - request.inputTokens;
    const parts = `${groupThousands(request.inputTokens)} prompt + ${groupThousands(answerTokens)} answer`;
    const detail = `needs ~${groupThousands(needed)} tokens (${parts}), context window is ${groupThousands(window)}`;
    return { reason: 'context_too_small', neededTokens: needed, answerTokens, contextWindow: window, detail };
  }
  const tpm = deployment.tokensPerMinute;
  if (tpm !== undefined && needed > tpm) {
    // Groq counts prompt + max_tokens against a free model's TPM and answers 413 when one request exceeds it.
    const detail = `needs ~${groupThousands(needed)} tokens (prompt + answer budget), over its limit of ${groupThousands(tpm)} tokens per minute`;
    return { reason: 'over_rate_window', neededTokens: needed, tokensPerMinute: tpm, detail };
  }
  const invalid = input.invalidKeys?.get(provider.id);
  if (invalid) return { reason: 'key_invalid', keyProblem: invalid, detail: describeKeyProblem(invalid) };
  const endpoint = input.endpointProblems?.get(provider.id);
  if (endpoint) return { reason: 'endpoint_invalid', ...endpoint, detail: `${endpoint.variable} ${endpoint.problem}` };
  if (!input.keyedProviders.has(provider.id))
    return { reason: 'no_key', configured: true, keyEnv: provider.keyEnv, detail: 'no key' };
  const hasTier = freeTierOf(input.catalog, deployment) !== undefined;
  return cooldownSkip(input.snapshot.cooldowns, provider, model.id, hasTier, now);
}

/** Rule 3: how a call that passed every check would be billed, or why it may not be made. */
function bill(input: RouteInput, { model, deployment }: Pair, provider: ProviderSpec): Outcome {
  const { catalog, snapshot, request, now } = input;
  const base = { model, deployment, provider };
  const needed = neededTokens(request, provider);
  const key = tierKey(provider.id, model.id);
  // A tier that has not started yet is no tier yet: until its anchor day the model is billed at its own price.
  const declared = freeTierOf(catalog, deployment);
  const tier = declared && hasStarted(declared, now) ? declared : undefined;
  let tierBlock: Block | undefined; // why the tier cannot carry this call, said only if paid use is not allowed
  if (tier) {
    const states = limitStates(key, tier, snapshot.usage, now);
    const blocked = blockingLimit(states, { tokens: needed, inputTokens: request.inputTokens });
    if (isExpired(tier, now)) {
      tierBlock = {
        reason: 'expired',
        expires: tier.expires!,
        payable: true,
        detail: `free tier ended ${tier.expires}`,
      };
    } else if (blocked) {
      tierBlock = {
        reason: 'exhausted',
        payable: true,
        limit: blocked.limit.name,
        ...(blocked.reserved > 0 ? { held: blocked.reserved } : {}),
        detail: describeExhausted(tier, blocked, needed, now),
      };
    } else {
      const expires = expiresAt(tier);
      const remaining = headlineRemaining(states);
      const nextReset = tierNextReset(tier, now);
      const candidate: Candidate = {
        ...base,
        billing: 'free-tier',
        tier: { key, remaining, nextReset, ...(expires === undefined ? {} : { expires }) },
      };
      return { candidate, lapse: tierLapse(tierLapsesAt(tier, now), expires).at, cost: 0 };
    }
  }
  // No tier, or one that cannot carry this call: the deployment's own price decides.
  const price = deployment.price;
  if (price && price.input === 0 && price.output === 0) {
    return { candidate: { ...base, billing: 'free' }, lapse: 0, cost: 0 };
  }
  if (request.allowPaid) {
    // What this call would cost, to put a model's cheaper deployment first; an unknown price sorts last.
    const output = needed - request.inputTokens;
    const cost = price ? (price.input * request.inputTokens + price.output * output) / 1000 : Infinity;
    return { candidate: { ...base, billing: 'paid' }, lapse: 0, cost };
  }
  // The tier's state is the news when there is a tier; either way, allowing paid use would make it a candidate.
  const why: Block = tierBlock ?? { reason: 'paid_not_allowed', price, detail: `paid model (${describePrice(price)})` };
  return { skip: skipOf({ model, deployment }, provider.id, why) };
}

function skipOf(pair: Pair, provider: string, why: SkipWhy): Skip {
  return { model: pair.model.id, provider, ...why };
}

/** Ascending, unknown (Infinity) last; written out because Infinity - Infinity is NaN. */
function compareCost(a: number, b: number): number {
  return a === b ? 0 : a < b ? -1 : 1;
}
