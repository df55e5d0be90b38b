// The gateway loop (src/core/gateway.ts), pure: an in-memory QuotaLedger, scripted fake adapters, a fixed clock
// and a sleep that only records. What a user notices: the answer streamed in order, usage recorded once, free
// quota held while a call is in flight and never left held, fallbacks and retries as the failure table says,
// a rejected key scoped to that key, a cut answer kept, and the exit code of every way of failing.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildCatalog, type CatalogData } from '../../src/core/catalog.ts';
import { GatewayError, UpstreamError, type UpstreamErrorKind } from '../../src/core/errors.ts';
import { estimatePromptTokens, estimateRequestTokens, estimateTokens, IMAGE_TOKENS } from '../../src/core/estimate.ts';
import { SERVER_BACKOFF_MS } from '../../src/core/failure-policy.ts';
import { createGateway, PartialAnswerError, type ChatResult, type GatewayEvent } from '../../src/core/gateway.ts';
import { failingEndpointScope, rejectedKeyScope } from '../../src/core/cooldown-scope.ts';
import { nextReset, windowStart } from '../../src/core/quota.ts';
import { DEFAULT_OUTPUT_RESERVE } from '../../src/core/router.ts';
import type { AdapterCall, ChatEvent, ChatRequest, Cooldown, FinishReason, Usage } from '../../src/core/types.ts';
import { exitCodeOf } from '../../src/cli/common/exit-codes.ts';
import { MemoryLedger } from '../helpers/memory-ledger.ts';

const NOW = Date.UTC(2026, 10, 26, 12, 0, 0); // 2026-11-26 12:00 UTC
const MINUTE = 60_000;

// ---------------------------------------------------------------------------------------------------------------
// The catalog: providers a, b, c, all OpenAI-compatible. `a-tier` has a daily free tier (first in every plan that
// lists it); the others cost nothing (price 0/0) and keep list order.

const TIER = { provider: 'a', model: 'a-tier', tokens: 100_000, period: 'daily' as const, anchor: '2026-01-01' };
const FREE = { input: 0, output: 0 };
const DATA: CatalogData = {
  providers: [
    { id: 'a', name: 'Provider A' },
    { id: 'b', name: 'Provider B' },
    { id: 'c', name: 'Provider C' },
  ],
  models: [
    {
      id: 'a-tier',
      contextWindow: 32_000,
      deployments: [{ provider: 'a', upstreamId: 'vendor/a-tier-v1', price: null }],
    },
    { id: 'a-free', contextWindow: 32_000, deployments: [{ provider: 'a', price: FREE }] },
    { id: 'b-free', contextWindow: 32_000, deployments: [{ provider: 'b', price: FREE }] },
    { id: 'a-small', contextWindow: 16_000, deployments: [{ provider: 'a', price: FREE }] },
    { id: 'b-small', contextWindow: 16_000, deployments: [{ provider: 'b', price: FREE }] },
    {
      id: 'c-big',
      contextWindow: 200_000,
      capabilities: ['text', 'code'],
      deployments: [{ provider: 'c', price: FREE }],
    },
  ],
  freeTiers: [TIER],
  scenarios: {
    default: ['a-tier', 'b-free'],
    keys: ['a-tier', 'a-free', 'b-free'],
    window: ['a-small', 'b-small', 'c-big'],
    code: ['a-tier', 'c-big'],
    empty: [],
  },
};

// ---------------------------------------------------------------------------------------------------------------
// Scripted adapters: per upstream model id, one step per call. A step streams its deltas, then throws its error or
// finishes with its usage. An unscripted call fails the test.

interface Step {
  /** Streamed before the text deltas (tool-call and reasoning pieces). */
  events?: ChatEvent[];
  deltas?: string[];
  usage?: Usage | null;
  reason?: FinishReason;
  error?: UpstreamError;
  /** End the stream after the deltas without a finish event. */
  noFinish?: boolean;
}

function fail(kind: UpstreamErrorKind, status?: number, retryAfterMs?: number): Step {
  return {
    error: new UpstreamError({
      provider: 'x',
      kind,
      status,
      retryAfterMs,
      message: `x: ${kind}${status ? ` (HTTP ${status})` : ''}`,
    }),
  };
}
const answer = (
  deltas: string[] = ['Hel', 'lo'],
  usage: Usage | null = { inputTokens: 11, outputTokens: 7, estimated: false },
): Step => ({ deltas, usage });

interface Setup {
  data?: CatalogData;
  scripts?: Record<string, Step[]>;
  keys?: Record<string, string>;
  usedBefore?: Record<string, number>;
  cooldowns?: Cooldown[];
}

function setup(options: Setup = {}) {
  const log: string[] = [];
  const ledger = new MemoryLedger(log, options.usedBefore, options.cooldowns);
  const scripts = new Map(Object.entries(options.scripts ?? {}).map(([model, steps]) => [model, [...steps]]));
  const keys = new Map(Object.entries(options.keys ?? { a: 'key-a', b: 'key-b', c: 'key-c' }));
  const calls: AdapterCall[] = [];
  const closed: string[] = []; // upstream streams that were closed before they ended
  const unexpected: string[] = [];
  const sleeps: number[] = [];
  let ids = 0;

  async function* stream(call: AdapterCall): AsyncGenerator<ChatEvent> {
    calls.push(call);
    log.push(`call ${call.provider.id}:${call.upstreamModel}`);
    const step = scripts.get(call.upstreamModel)?.shift();
    if (!step) {
      unexpected.push(call.upstreamModel);
      throw new Error(`unscripted call to ${call.upstreamModel}`);
    }
    let ended = false;
    try {
      yield* step.events ?? [];
      for (const text of step.deltas ?? []) yield { type: 'text-delta', text };
      if (step.error) {
        ended = true;
        throw step.error;
      }
      if (!step.noFinish)
        yield { type: 'finish', reason: step.reason ?? 'stop', usage: step.usage === undefined ? null : step.usage };
      ended = true;
    } finally {
      if (!ended) closed.push(call.upstreamModel);
    }
  }

  const gateway = createGateway({
    catalog: buildCatalog(options.data ?? DATA),
    ledger,
    adapterFor: async () => ({ stream }),
    credentials: (p) => {
      const apiKey = keys.get(p.id);
      return apiKey ? { apiKey, baseUrl: `https://${p.id}.invalid/v1` } : undefined;
    },
    now: () => NOW,
    newRequestId: () => `r${++ids}`,
    timeouts: { connectMs: 1000, idleMs: 1000 },
    allowPaid: false,
    sleep: async (ms) => {
      log.push(`sleep ${ms}`);
      sleeps.push(ms);
    },
  });
  const called = () => calls.map((c) => `${c.provider.id}:${c.upstreamModel}`);
  return { gateway, ledger, keys, calls, called, closed, unexpected, sleeps, log };
}

const MESSAGES = [{ role: 'user' as const, content: 'Say hello to the gateway tests, please.' }];
const INPUT = estimatePromptTokens(MESSAGES);
const req = (over: Partial<ChatRequest> = {}): ChatRequest => ({ messages: MESSAGES, ...over });

interface Run {
  events: GatewayEvent[];
  result?: ChatResult;
  error?: unknown;
}

/** The next event of a chat that is expected to go on (not to return). */
async function nextEvent(gen: AsyncGenerator<GatewayEvent, ChatResult>): Promise<GatewayEvent> {
  const next = await gen.next();
  assert.ok(!next.done, 'the chat ended early');
  return next.value;
}

async function drain(gen: AsyncGenerator<GatewayEvent, ChatResult>): Promise<Run> {
  const events: GatewayEvent[] = [];
  try {
    for (;;) {
      const next = await gen.next();
      if (next.done) return { events, result: next.value };
      events.push(next.value);
    }
  } catch (error) {
    return { events, error };
  }
}

function answered(run: Run): ChatResult {
  assert.equal(run.error, undefined, `the chat failed: ${String(run.error)}`);
  assert.ok(run.result);
  return run.result;
}

function failed(run: Run): GatewayError {
  assert.equal(run.result, undefined, 'the chat answered, a failure was expected');
  assert.ok(run.error instanceof GatewayError, `not a GatewayError: ${String(run.error)}`);
  return run.error;
}

const deltas = (run: Run) => run.events.flatMap((e) => (e.type === 'text-delta' ? [e.text] : []));
const attempts = (run: Run) =>
  run.events.flatMap((e) => (e.type === 'attempt' ? [`${e.provider}:${e.model}#${e.attempt}`] : []));
const fallbackEvents = (run: Run) =>
  run.events.flatMap((e) => (e.type === 'fallback' ? [`${e.fallback.provider}:${e.fallback.model}`] : []));

// ---------------------------------------------------------------------------------------------------------------

describe('gateway: a successful answer', () => {
  it('streams the text deltas in order and ends with exactly one done, carrying the same result it returns', async () => {
    const t = setup({ scripts: { 'vendor/a-tier-v1': [answer(['Hel', 'lo', ', world'])] } });
    const run = await drain(t.gateway.chat(req()));
    const result = answered(run);
    assert.deepEqual(deltas(run), ['Hel', 'lo', ', world']);
    assert.deepEqual(
      run.events.map((e) => e.type),
      ['attempt', 'text-delta', 'text-delta', 'text-delta', 'done'],
    );
    const done = run.events.filter((e) => e.type === 'done');
    assert.equal(done.length, 1);
    assert.deepEqual(done[0], { type: 'done', result });
    assert.equal(result.text, 'Hello, world');
    assert.equal(result.finishReason, 'stop');
    assert.deepEqual([result.model, result.provider, result.billing], ['a-tier', 'a', 'free-tier']);
    assert.deepEqual(result.fallbacks, []);
    assert.deepEqual(t.called(), ['a:vendor/a-tier-v1'], 'the upstream id is sent, not the catalog id');
    assert.equal(t.calls[0]!.apiKey, 'key-a');
    assert.equal(t.calls[0]!.baseUrl, 'https://a.invalid/v1');
    assert.deepEqual(t.sleeps, []);
  });

  it('settles the reported usage once, under the request id it reserved with, with billing and tier key', async () => {
    const t = setup({ scripts: { 'vendor/a-tier-v1': [answer()] } });
    const result = answered(await drain(t.gateway.chat(req())));
    assert.equal(t.ledger.reserves.length, 1);
    const requestId = t.ledger.reserves[0]!.requestId;
    assert.deepEqual(t.ledger.settles, [
      {
        requestId,
        provider: 'a',
        model: 'a-tier',
        tierKey: 'a:a-tier',
        billing: 'free-tier',
        inputTokens: 11,
        outputTokens: 7,
        estimated: false,
        outcome: 'ok',
        at: NOW,
      },
    ]);
    assert.equal(t.log.filter((l) => l.startsWith('settle')).length, 1, 'settled exactly once');
    assert.equal(result.requestId, requestId);
    assert.deepEqual(result.usage, { inputTokens: 11, outputTokens: 7, estimated: false });
    assert.equal(result.freeRemaining, TIER.tokens - 18);
    assert.equal(t.ledger.held.size, 0, 'nothing left reserved after success');
    assert.deepEqual(t.ledger.releases, []);
  });

  it('settles a free (untiered) answer without a tier key, billed free', async () => {
    const t = setup({ scripts: { 'b-free': [answer()] } });
    const result = answered(await drain(t.gateway.chat(req({ model: 'b-free' }))));
    assert.equal(t.ledger.reserves.length, 0, 'no free tier, nothing to reserve');
    assert.equal(t.ledger.settles.length, 1);
    assert.equal(t.ledger.settles[0]!.tierKey, undefined);
    assert.equal(t.ledger.settles[0]!.billing, 'free');
    assert.equal(result.freeRemaining, undefined);
  });

  it('estimates the usage, and says so, when the adapter reports none', async () => {
    const t = setup({ scripts: { 'vendor/a-tier-v1': [answer(['Hello there, ', 'friend'], null)] } });
    const result = answered(await drain(t.gateway.chat(req())));
    const estimated = { inputTokens: INPUT, outputTokens: estimateTokens('Hello there, friend'), estimated: true };
    assert.ok(estimated.outputTokens > 0);
    assert.deepEqual(result.usage, estimated);
    assert.equal(t.ledger.settles.length, 1);
    const s = t.ledger.settles[0]!;
    assert.deepEqual(
      { inputTokens: s.inputTokens, outputTokens: s.outputTokens, estimated: s.estimated, outcome: s.outcome },
      { ...estimated, outcome: 'ok' },
    );
  });
});

describe('gateway: free quota reserved while a call is in flight', () => {
  it('reserves the prompt estimate plus the answer budget on the tier, before the call', async () => {
    const t = setup({ scripts: { 'vendor/a-tier-v1': [answer(), answer()] } });
    answered(await drain(t.gateway.chat(req({ maxTokens: 500 }))));
    answered(await drain(t.gateway.chat(req())));
    assert.deepEqual(
      t.ledger.reserves.map((r) => r.tokens),
      [INPUT + 500, INPUT + DEFAULT_OUTPUT_RESERVE],
    );
    const r = t.ledger.reserves[0]!;
    assert.deepEqual(
      { tierKey: r.tierKey, limits: r.limits, now: r.now },
      {
        tierKey: 'a:a-tier',
        limits: [
          {
            unit: 'tokens',
            limit: TIER.tokens,
            windowStart: windowStart({ anchor: TIER.anchor, period: TIER.period! }, NOW),
          },
        ],
        now: NOW,
      },
    );
    assert.ok(r.expiresAt > NOW, 'a reservation left by a dead process expires, later than now');
    const first = t.log.slice(0, 3);
    assert.deepEqual(first, ['reserve a:a-tier r1', 'call a:vendor/a-tier-v1', 'settle r1 ok']);
  });

  it('a refused reservation skips the candidate with a fallback, uncalled, and the next one answers', async () => {
    const t = setup({ scripts: { 'b-free': [answer()] } });
    t.ledger.refuse.add('a:a-tier');
    const run = await drain(t.gateway.chat(req()));
    const result = answered(run);
    assert.deepEqual(t.called(), ['b:b-free'], 'the tier that could not be reserved is never called');
    assert.deepEqual(fallbackEvents(run), ['a:a-tier']);
    assert.deepEqual(attempts(run), ['b:b-free#1']);
    assert.equal(result.provider, 'b');
    assert.equal(result.fallbacks.length, 1);
    assert.match(result.fallbacks[0]!.reason, /free tier used up by other calls in flight/);
    assert.equal(t.ledger.held.size, 0);
  });

  it('after a failure the reservation is released and no usage is recorded for it', async () => {
    const t = setup({ scripts: { 'vendor/a-tier-v1': [fail('auth', 401)], 'b-free': [answer()] } });
    answered(await drain(t.gateway.chat(req())));
    assert.deepEqual(t.ledger.releases, ['r1']);
    assert.deepEqual(
      t.ledger.settles.map((s) => [s.requestId, s.model, s.outcome]),
      [['r2', 'b-free', 'ok']],
    );
    assert.equal(t.ledger.held.size, 0);
  });

  it('a consumer that stops mid-stream leaves the attempt settled as aborted, with the text so far', async () => {
    const t = setup({ scripts: { 'vendor/a-tier-v1': [answer(['Hel', 'lo', ' world', '!'])] } });
    const gen = t.gateway.chat(req());
    assert.equal((await nextEvent(gen)).type, 'attempt');
    assert.deepEqual(await nextEvent(gen), { type: 'text-delta', text: 'Hel' });
    assert.deepEqual(await nextEvent(gen), { type: 'text-delta', text: 'lo' });
    const end = await gen.return(undefined as never);
    assert.equal(end.done, true);
    assert.equal(t.ledger.settles.length, 1);
    const s = t.ledger.settles[0]!;
    assert.deepEqual(
      {
        requestId: s.requestId,
        outcome: s.outcome,
        inputTokens: s.inputTokens,
        outputTokens: s.outputTokens,
        estimated: s.estimated,
      },
      {
        requestId: 'r1',
        outcome: 'aborted',
        inputTokens: INPUT,
        outputTokens: estimateTokens('Hello'),
        estimated: true,
      },
    );
    assert.equal(t.ledger.held.size, 0, 'nothing left reserved');
    assert.deepEqual(t.ledger.releases, [], 'used tokens are settled, not released');
    assert.deepEqual(t.closed, ['vendor/a-tier-v1'], 'the upstream stream is closed too');
    assert.deepEqual(t.called(), ['a:vendor/a-tier-v1'], 'no other candidate');
  });

  it('a consumer that stops before any text releases the reservation and records nothing', async () => {
    const t = setup({ scripts: { 'vendor/a-tier-v1': [answer()] } });
    const gen = t.gateway.chat(req());
    assert.equal((await nextEvent(gen)).type, 'attempt');
    await gen.return(undefined as never);
    assert.deepEqual(t.ledger.releases, ['r1']);
    assert.deepEqual(t.ledger.settles, []);
    assert.equal(t.ledger.held.size, 0);
    assert.deepEqual(t.called(), [], 'the call is never made');
  });
});

describe('gateway: fallbacks and retries, as the failure table says', () => {
  it('500 then 500: two attempts on the first candidate with one backoff, then the second answers', async () => {
    const t = setup({
      scripts: { 'vendor/a-tier-v1': [fail('server', 500), fail('server', 500)], 'b-free': [answer()] },
    });
    const run = await drain(t.gateway.chat(req()));
    const result = answered(run);
    assert.deepEqual(t.called(), ['a:vendor/a-tier-v1', 'a:vendor/a-tier-v1', 'b:b-free']);
    assert.deepEqual(attempts(run), ['a:a-tier#1', 'a:a-tier#2', 'b:b-free#1']);
    assert.deepEqual(t.sleeps, [SERVER_BACKOFF_MS]);
    assert.deepEqual(
      t.log.filter((l) => !l.startsWith('reserve')),
      [
        'call a:vendor/a-tier-v1',
        'release r1',
        'sleep 400',
        'call a:vendor/a-tier-v1',
        'release r2',
        `cooldown a a-tier @${failingEndpointScope('a', 'a-tier', { apiKey: 'key-a', baseUrl: 'https://a.invalid/v1' }).endpointFingerprint} down`,
        'call b:b-free',
        'settle r3 ok',
      ],
    );
    assert.deepEqual(
      t.ledger.cooldownsSet.map(({ reason: _, ...c }) => c),
      [
        {
          ...failingEndpointScope('a', 'a-tier', { apiKey: 'key-a', baseUrl: 'https://a.invalid/v1' }),
          kind: 'down',
          until: NOW + MINUTE,
        },
      ],
    );
    assert.equal(result.provider, 'b');
    assert.deepEqual(
      result.fallbacks.map((f) => `${f.provider}:${f.model}`),
      ['a:a-tier'],
      'one fallback line, not one per attempt',
    );
    assert.match(result.fallbacks[0]!.reason, /500/);
    assert.deepEqual(fallbackEvents(run), ['a:a-tier']);
  });

  it('500 once: the retry of the same candidate answers, with no cooldown and no fallback', async () => {
    const t = setup({ scripts: { 'vendor/a-tier-v1': [fail('server', 502), answer()] } });
    const result = answered(await drain(t.gateway.chat(req())));
    assert.deepEqual(t.called(), ['a:vendor/a-tier-v1', 'a:vendor/a-tier-v1']);
    assert.equal(result.provider, 'a');
    assert.deepEqual(result.fallbacks, []);
    assert.deepEqual(t.ledger.cooldownsSet, []);
    assert.deepEqual(t.sleeps, [SERVER_BACKOFF_MS]);
  });

  it('a stream that ends without its finish is retried like a server failure', async () => {
    const t = setup({ scripts: { 'vendor/a-tier-v1': [{ noFinish: true }, answer()] } });
    const result = answered(await drain(t.gateway.chat(req())));
    assert.deepEqual(t.called(), ['a:vendor/a-tier-v1', 'a:vendor/a-tier-v1']);
    assert.equal(result.text, 'Hello');
    assert.deepEqual(t.sleeps, [SERVER_BACKOFF_MS]);
  });

  it('429 with a short Retry-After: the same candidate again after the wait it asked for', async () => {
    const t = setup({ scripts: { 'vendor/a-tier-v1': [fail('rate_limit', 429, 2000), answer()] } });
    const run = await drain(t.gateway.chat(req()));
    const result = answered(run);
    assert.deepEqual(t.sleeps, [2000]);
    assert.deepEqual(t.called(), ['a:vendor/a-tier-v1', 'a:vendor/a-tier-v1']);
    assert.deepEqual(attempts(run), ['a:a-tier#1', 'a:a-tier#2']);
    assert.equal(result.provider, 'a');
    assert.deepEqual(result.fallbacks, []);
    assert.deepEqual(t.ledger.cooldownsSet, []);
    assert.deepEqual(t.ledger.releases, ['r1'], 'the reservation is not held over the wait');
    assert.ok(t.log.indexOf('release r1') < t.log.indexOf('sleep 2000'));
  });

  it('429 with a long Retry-After: no wait, a cooldown until then, and the next candidate', async () => {
    const t = setup({ scripts: { 'vendor/a-tier-v1': [fail('rate_limit', 429, 120_000)], 'b-free': [answer()] } });
    const result = answered(await drain(t.gateway.chat(req())));
    assert.deepEqual(t.sleeps, []);
    assert.deepEqual(t.called(), ['a:vendor/a-tier-v1', 'b:b-free']);
    assert.deepEqual(
      t.ledger.cooldownsSet.map(({ reason: _, ...c }) => c),
      [{ provider: 'a', model: 'a-tier', kind: 'rate_limited', until: NOW + 120_000 }],
    );
    assert.equal(result.provider, 'b');
  });

  it('quota 429: an exhausted cooldown on the tier until its next reset, the next candidate answers, and the next plan skips it', async () => {
    const t = setup({ scripts: { 'vendor/a-tier-v1': [fail('quota', 429)], 'b-free': [answer()] } });
    const result = answered(await drain(t.gateway.chat(req())));
    assert.deepEqual(t.called(), ['a:vendor/a-tier-v1', 'b:b-free'], 'a quota error is not retried');
    assert.deepEqual(t.sleeps, []);
    assert.deepEqual(
      t.ledger.cooldownsSet.map(({ reason: _, ...c }) => c),
      [{ provider: 'a', model: 'a-tier', kind: 'exhausted', until: nextReset(TIER, NOW) }],
    );
    assert.equal(nextReset(TIER, NOW), Date.UTC(2026, 10, 27));
    assert.equal(result.provider, 'b');
    const plan = await t.gateway.plan(req());
    assert.deepEqual(
      plan.candidates.map((c) => c.model.id),
      ['b-free'],
    );
    assert.deepEqual(
      plan.skipped.map((s) => [s.model, s.reason]),
      [['a-tier', 'exhausted']],
    );
  });

  it("401: a cooldown on the key (the provider with the key's fingerprint), and the same provider's other models are not called", async () => {
    const t = setup({ scripts: { 'vendor/a-tier-v1': [fail('auth', 401)], 'b-free': [answer()] } });
    const run = await drain(t.gateway.chat(req({ scenario: 'keys' })));
    const result = answered(run);
    assert.deepEqual(t.called(), ['a:vendor/a-tier-v1', 'b:b-free'], 'a-free (provider a) is passed over, not called');
    assert.deepEqual(t.sleeps, []);
    assert.equal(t.unexpected.length, 0);
    const scope = rejectedKeyScope('a', { apiKey: 'key-a', baseUrl: 'https://a.invalid/v1' });
    assert.match(scope.keyFingerprint ?? '', /^[0-9a-f]{8}$/);
    assert.deepEqual(
      t.ledger.cooldownsSet.map(({ reason: _, ...c }) => c),
      [{ ...scope, kind: 'auth', until: NOW + 10 * MINUTE }],
    );
    assert.ok(!JSON.stringify(t.ledger.cooldownsSet).includes('key-a'), 'the key itself is never stored');
    assert.deepEqual(
      result.fallbacks.map((f) => `${f.provider}:${f.model}`),
      ['a:a-tier', 'a:a-free'],
    );
    assert.match(result.fallbacks[1]!.reason, /a rejected the key/);
    assert.equal(result.provider, 'b');
  });

  it('a later plan with the same key skips the provider as key_rejected; with a different key it does not', async () => {
    const t = setup({ scripts: { 'vendor/a-tier-v1': [fail('auth', 403), answer()], 'b-free': [answer()] } });
    answered(await drain(t.gateway.chat(req({ scenario: 'keys' }))));

    const same = await t.gateway.plan(req({ scenario: 'keys' }));
    assert.deepEqual(
      same.candidates.map((c) => c.model.id),
      ['b-free'],
    );
    assert.deepEqual(
      same.skipped.map((s) => [s.provider, s.model, s.reason]),
      [
        ['a', 'a-tier', 'key_rejected'],
        ['a', 'a-free', 'key_rejected'],
      ],
    );

    t.keys.set('a', 'key-a-new');
    const other = await t.gateway.plan(req({ scenario: 'keys' }));
    assert.deepEqual(
      other.candidates.map((c) => c.model.id),
      ['a-tier', 'a-free', 'b-free'],
    );
    assert.deepEqual(other.skipped, []);
    const result = answered(await drain(t.gateway.chat(req({ scenario: 'keys' }))));
    assert.equal(result.provider, 'a');
    assert.equal(t.calls.at(-1)!.apiKey, 'key-a-new');
  });

  it('context_length: only a candidate with a larger window is tried next', async () => {
    const t = setup({ scripts: { 'a-small': [fail('context_length', 400)], 'c-big': [answer()] } });
    const run = await drain(t.gateway.chat(req({ scenario: 'window' })));
    const result = answered(run);
    assert.deepEqual(t.called(), ['a:a-small', 'c:c-big'], 'b-small, no larger than a-small, is not called');
    assert.deepEqual(t.sleeps, [], 'not retried');
    assert.deepEqual(t.ledger.cooldownsSet, [], 'the deployment is fine: no cooldown');
    assert.deepEqual(
      result.fallbacks.map((f) => `${f.provider}:${f.model}`),
      ['a:a-small', 'b:b-small'],
    );
    assert.match(result.fallbacks[1]!.reason, /context window no larger/);
    assert.equal(result.model, 'c-big');
  });

  it('bad_request: stops at once, no retry, no cooldown, no other candidate', async () => {
    const t = setup({ scripts: { 'vendor/a-tier-v1': [fail('bad_request', 400)], 'b-free': [answer()] } });
    const run = await drain(t.gateway.chat(req()));
    const error = failed(run);
    assert.ok(error instanceof UpstreamError);
    assert.equal(error.kind, 'bad_request');
    assert.equal(exitCodeOf(error), 1);
    assert.deepEqual(t.called(), ['a:vendor/a-tier-v1']);
    assert.deepEqual(t.sleeps, []);
    assert.deepEqual(t.ledger.cooldownsSet, []);
    assert.deepEqual(t.ledger.releases, ['r1']);
    assert.equal(t.ledger.held.size, 0);
    assert.deepEqual(fallbackEvents(run), ['a:a-tier']);
  });

  it('aborted before any text: exit 130 at once, reservation released, no other candidate', async () => {
    const t = setup({ scripts: { 'vendor/a-tier-v1': [fail('aborted')], 'b-free': [answer()] } });
    const error = failed(await drain(t.gateway.chat(req())));
    assert.equal(exitCodeOf(error), 130);
    assert.deepEqual(t.called(), ['a:vendor/a-tier-v1']);
    assert.deepEqual(t.ledger.releases, ['r1']);
    assert.deepEqual(t.ledger.settles, []);
    assert.deepEqual(t.ledger.cooldownsSet, []);
  });
});

describe('gateway: a failure after the first token', () => {
  it('throws PartialAnswerError with the partial text, settles it as cut, and calls no other candidate', async () => {
    const t = setup({
      scripts: { 'vendor/a-tier-v1': [{ deltas: ['Hel', 'lo'], ...fail('server', 500) }], 'b-free': [answer()] },
    });
    const run = await drain(t.gateway.chat(req()));
    const error = failed(run);
    assert.ok(error instanceof PartialAnswerError, `not a PartialAnswerError: ${error.name}`);
    assert.equal(exitCodeOf(error), 1);
    assert.equal(error.partial.text, 'Hello');
    assert.equal(error.partial.provider, 'a');
    assert.equal(error.upstream.kind, 'server');
    assert.deepEqual(deltas(run), ['Hel', 'lo'], 'what arrived was streamed');
    assert.ok(!run.events.some((e) => e.type === 'done'));
    assert.deepEqual(t.called(), ['a:vendor/a-tier-v1'], 'no retry and no fallback after the first token');
    assert.deepEqual(t.sleeps, []);
    assert.deepEqual(t.ledger.cooldownsSet, []);
    assert.equal(t.ledger.settles.length, 1);
    const s = t.ledger.settles[0]!;
    assert.deepEqual(
      {
        requestId: s.requestId,
        outcome: s.outcome,
        tierKey: s.tierKey,
        outputTokens: s.outputTokens,
        estimated: s.estimated,
      },
      { requestId: 'r1', outcome: 'cut', tierKey: 'a:a-tier', outputTokens: estimateTokens('Hello'), estimated: true },
    );
    assert.equal(error.partial.requestId, 'r1');
    assert.deepEqual(t.ledger.releases, []);
    assert.equal(t.ledger.held.size, 0);
  });

  it('an abort mid-stream is exit 130, settled as aborted, with the partial kept', async () => {
    const t = setup({ scripts: { 'vendor/a-tier-v1': [{ deltas: ['Par'], ...fail('aborted') }] } });
    const error = failed(await drain(t.gateway.chat(req())));
    assert.ok(error instanceof PartialAnswerError);
    assert.equal(exitCodeOf(error), 130);
    assert.equal(error.partial.text, 'Par');
    assert.deepEqual(
      t.ledger.settles.map((s) => s.outcome),
      ['aborted'],
    );
    assert.equal(t.ledger.held.size, 0);
  });
});

describe('gateway: tool calls', () => {
  const WEATHER = {
    name: 'get_weather',
    description: 'Weather for a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } } },
  };
  const start = (index: number, id: string, name = 'get_weather'): ChatEvent => ({
    type: 'tool-call-start',
    index,
    id,
    name,
  });
  const args = (index: number, argumentsDelta: string): ChatEvent => ({
    type: 'tool-call-delta',
    index,
    argumentsDelta,
  });
  const end = (index: number): ChatEvent => ({ type: 'tool-call-end', index });

  it('parallel tool calls with interleaved argument fragments come back whole, in order, with the tools sent on', async () => {
    const events = [
      start(0, 'call_1'),
      start(1, 'call_2'),
      args(1, '{"city":'),
      args(0, '{"city":"Par'),
      args(1, '"Oslo"}'),
      args(0, 'is"}'),
      end(0),
      end(1),
    ];
    const t = setup({
      scripts: {
        'vendor/a-tier-v1': [
          { events, reason: 'tool_calls', usage: { inputTokens: 60, outputTokens: 20, estimated: false } },
        ],
      },
    });
    const run = await drain(t.gateway.chat(req({ tools: [WEATHER], toolChoice: { type: 'required' } })));
    assert.deepEqual(run.result?.toolCalls, [
      { id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
      { id: 'call_2', name: 'get_weather', arguments: '{"city":"Oslo"}' },
    ]);
    assert.equal(run.result?.finishReason, 'tool_calls');
    assert.deepEqual(t.calls[0]?.tools, [WEATHER], 'the adapter is given the tool definitions');
    assert.deepEqual(t.calls[0]?.toolChoice, { type: 'required' });
    assert.equal(
      run.events.filter((e) => e.type === 'tool-call-delta').length,
      4,
      'fragments are passed on as they arrive',
    );
  });

  it('a tool call cut mid-arguments is an error with no fallback, the usage so far recorded, the half call dropped', async () => {
    const t = setup({
      scripts: {
        'vendor/a-tier-v1': [{ events: [start(0, 'call_1'), args(0, '{"city":"Pa')], ...fail('connection') }],
        'b-free': [answer()],
      },
    });
    const error = failed(await drain(t.gateway.chat(req({ tools: [WEATHER] }))));
    assert.ok(error instanceof PartialAnswerError, `not a PartialAnswerError: ${error.name}`);
    assert.deepEqual(t.called(), ['a:vendor/a-tier-v1'], 'the first tool-call fragment ends fallback');
    assert.deepEqual(error.partial.toolCalls, [], 'a call without its whole arguments cannot be run');
    assert.deepEqual(
      t.ledger.settles.map((s) => s.outcome),
      ['cut'],
    );
    assert.ok(t.ledger.settles[0]!.outputTokens > 0, 'the fragments are counted');
  });

  it('tool definitions and images count in the estimate that routing and the free-tier reservation use', () => {
    const plain = estimateRequestTokens({ messages: MESSAGES });
    const withTool = estimateRequestTokens({ messages: MESSAGES, tools: [WEATHER] });
    const image: ChatRequest['messages'] = [
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is this?' },
          { type: 'image', source: { kind: 'url', url: 'https://example.com/a.png' } },
        ],
      },
    ];
    assert.ok(withTool > plain + estimateTokens(JSON.stringify(WEATHER.parameters)), `${withTool} vs ${plain}`);
    assert.ok(estimateRequestTokens({ messages: image }) >= IMAGE_TOKENS, 'an image is not free');
  });
});

describe('gateway: no candidate at all, nothing called', () => {
  async function noCandidate(options: Setup, request: ChatRequest): Promise<number> {
    const t = setup(options);
    const run = await drain(t.gateway.chat(request));
    const error = failed(run);
    assert.deepEqual(run.events, []);
    assert.deepEqual(t.called(), []);
    assert.deepEqual(t.ledger.reserves, []);
    return exitCodeOf(error);
  }

  it('exit 4 when only keys are missing', async () => {
    assert.equal(await noCandidate({ keys: {} }, req()), 4);
  });

  it('exit 5 when quota is among the reasons (a used-up tier next to a missing key)', async () => {
    assert.equal(await noCandidate({ keys: { a: 'key-a' }, usedBefore: { 'a:a-tier': TIER.tokens } }, req()), 5);
  });

  it('exit 5 when a rate-limit cooldown is among the reasons', async () => {
    const cooldowns: Cooldown[] = [
      { provider: 'a', model: 'a-tier', kind: 'rate_limited', until: NOW + MINUTE, reason: '429' },
    ];
    assert.equal(await noCandidate({ keys: { a: 'key-a' }, cooldowns }, req()), 5);
  });

  it('exit 2 when only the request is the problem (too long for one, lacking a capability in the other)', async () => {
    // code scenario: a-tier lacks `code`; c-big has it but its 200,000 window cannot take a 300,000 answer budget.
    assert.equal(await noCandidate({}, req({ scenario: 'code', maxTokens: 300_000 })), 2);
  });

  it('exit 1 when only failing providers are cooling down', async () => {
    const cooldowns: Cooldown[] = [
      { provider: 'a', kind: 'down', until: NOW + MINUTE, reason: 'failing (500)' },
      { provider: 'b', model: 'b-free', kind: 'down', until: NOW + MINUTE, reason: 'failing (503)' },
    ];
    assert.equal(await noCandidate({ cooldowns }, req()), 1);
  });

  it('exit 2, naming the scenario, when a scenario lists no models', async () => {
    assert.equal(await noCandidate({}, req({ scenario: 'empty' })), 2);
  });

  it('a rejected-key cooldown of the key in use counts as a key problem (exit 4)', async () => {
    const cooldowns: Cooldown[] = [
      { ...rejectedKeyScope('a', { apiKey: 'key-a', baseUrl: '' }), kind: 'auth', until: NOW + MINUTE, reason: '401' },
      { ...rejectedKeyScope('b', { apiKey: 'key-b', baseUrl: '' }), kind: 'auth', until: NOW + MINUTE, reason: '401' },
    ];
    assert.equal(await noCandidate({ cooldowns }, req()), 4);
  });
});

describe('gateway: every candidate failed', () => {
  async function allFail(a: Step, b: Step): Promise<{ code: number; called: string[] }> {
    const t = setup({ scripts: { 'vendor/a-tier-v1': [a], 'b-free': [b] } });
    const error = failed(await drain(t.gateway.chat(req())));
    assert.ok(!(error instanceof UpstreamError), 'the whole run failed, not one upstream');
    assert.equal(t.ledger.held.size, 0);
    assert.deepEqual(t.ledger.settles, []);
    return { code: exitCodeOf(error), called: t.called() };
  }

  it('exit 5 when every one was out of quota or rate-limited longer than a minute (too long to wait out)', async () => {
    const r = await allFail(fail('quota', 429), fail('rate_limit', 429, 120_000));
    assert.equal(r.code, 5);
    assert.deepEqual(r.called, ['a:vendor/a-tier-v1', 'b:b-free']);
  });

  it('exit 4 when every key was rejected', async () => {
    const r = await allFail(fail('auth', 401), fail('auth', 403));
    assert.equal(r.code, 4);
    assert.deepEqual(r.called, ['a:vendor/a-tier-v1', 'b:b-free']);
  });

  it('exit 2 when every model said the prompt is too long for it', async () => {
    const r = await allFail(fail('context_length', 400), fail('context_length', 400));
    assert.equal(r.code, 2);
  });

  it('exit 1 when the failures were mixed', async () => {
    assert.equal((await allFail(fail('auth', 401), fail('quota', 429))).code, 1);
    assert.equal((await allFail(fail('not_found', 404), fail('rate_limit', 429, 120_000))).code, 1);
  });
});

describe('gateway: cooldowns belong to the endpoint and key that earned them', () => {
  it('a failing-endpoint cooldown applies at that base URL only: a corrected URL is tried at once', async () => {
    const until = NOW + MINUTE;
    const here = setup({
      cooldowns: [
        {
          ...failingEndpointScope('a', 'a-tier', { apiKey: 'key-a', baseUrl: 'https://a.invalid/v1' }),
          kind: 'down',
          until,
          reason: '404',
        },
      ],
    });
    const skipped = (await here.gateway.plan(req())).skipped.map((s) => `${s.provider}:${s.model} ${s.reason}`);
    assert.deepEqual(skipped, ['a:a-tier cooling_down']);
    const elsewhere = setup({
      cooldowns: [
        {
          ...failingEndpointScope('a', 'a-tier', { apiKey: 'key-a', baseUrl: 'https://old.invalid/v1' }),
          kind: 'down',
          until,
          reason: '404',
        },
      ],
    });
    assert.deepEqual((await elsewhere.gateway.plan(req())).skipped, []);
    assert.equal((await elsewhere.gateway.plan(req())).candidates[0]!.model.id, 'a-tier');
  });
});

describe('gateway: model ids with @ in them (Vertex versions, Cloudflare paths) keep their cooldowns', () => {
  // Vertex AI names versions `claude-sonnet-v2@20241022`; Cloudflare Workers AI models are `@cf/meta/llama-3-8b-instruct`.
  const VERTEX = 'claude-sonnet-v2@20241022';
  const CF = '@cf/meta/llama-3-8b-instruct';
  const data: CatalogData = {
    ...DATA,
    models: [
      ...DATA.models!,
      { id: VERTEX, contextWindow: 32_000, deployments: [{ provider: 'a', price: FREE }] },
      { id: CF, contextWindow: 32_000, deployments: [{ provider: 'c', price: FREE }] },
    ],
    scenarios: { ...DATA.scenarios, at: [VERTEX, CF, 'b-free'] },
  };
  const skippedIn = async (t: ReturnType<typeof setup>) =>
    (await t.gateway.plan(req({ scenario: 'at' }))).skipped.map((s) => `${s.provider}:${s.model} ${s.reason}`);

  it('a rate limit on claude-sonnet-v2@20241022 and a failing @cf/… model are skipped by the next plan, the rest planned', async () => {
    const t = setup({
      data,
      scripts: {
        [VERTEX]: [fail('rate_limit', 429, 120_000)],
        [CF]: [fail('server', 500), fail('server', 500)],
        'b-free': [answer()],
      },
    });
    const result = answered(await drain(t.gateway.chat(req({ scenario: 'at' }))));
    assert.equal(result.model, 'b-free');
    assert.deepEqual(await skippedIn(t), [`a:${VERTEX} cooling_down`, `c:${CF} cooling_down`]);
    assert.deepEqual(
      (await t.gateway.plan(req({ scenario: 'at' }))).candidates.map((c) => c.model.id),
      ['b-free'],
    );
  });

  it('a cooldown on one of them does not touch the other', async () => {
    const t = setup({ data, scripts: { [VERTEX]: [fail('not_found', 404)], [CF]: [answer()] } });
    const result = answered(await drain(t.gateway.chat(req({ scenario: 'at' }))));
    assert.equal(result.model, CF);
    assert.deepEqual(await skippedIn(t), [`a:${VERTEX} cooling_down`]);
    assert.deepEqual(
      (await t.gateway.plan(req({ scenario: 'at' }))).candidates.map((c) => c.model.id),
      [CF, 'b-free'],
    );
  });
});
