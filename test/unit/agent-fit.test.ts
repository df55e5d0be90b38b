// Which free models can take an agent-sized request: the one rule `models --free`, the serve banner and
// `chat --explain` share.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import builtin from '../../src/catalog/builtin.json' with { type: 'json' };
import {
  AGENT_ANSWER_TOKENS,
  AGENT_PROMPT_TOKENS,
  describeAgentFits,
  freeAgentFits,
} from '../../src/core/agent-fit.ts';
import { buildCatalog, type CatalogData } from '../../src/core/catalog.ts';

const NOV_26 = Date.UTC(2026, 10, 26, 12);
const TOTAL = AGENT_PROMPT_TOKENS + AGENT_ANSWER_TOKENS;

function catalogOf(extra: CatalogData) {
  const base: CatalogData = {
    providers: [{ id: 'p', baseUrl: 'http://127.0.0.1:1' }],
    freeTiers: [],
  };
  return buildCatalog(base, extra);
}

function fitsOf(extra: CatalogData) {
  return Object.fromEntries(freeAgentFits(catalogOf(extra), NOV_26).map((f) => [f.model, f.misfit ?? 'fits']));
}

describe('freeAgentFits', () => {
  it('a context window or a per-request rate window smaller than prompt + answer rules a model out, naming it', () => {
    const fits = fitsOf({
      models: [
        {
          id: 'small-context',
          contextWindow: TOTAL - 1,
          deployments: [{ provider: 'p', price: { input: 0, output: 0 } }],
        },
        { id: 'roomy', contextWindow: 131072, deployments: [{ provider: 'p', price: { input: 0, output: 0 } }] },
        {
          id: 'groq-like',
          contextWindow: 131072,
          deployments: [{ provider: 'p', price: null, tokensPerMinute: 6000 }],
        },
      ],
      freeTiers: [{ provider: 'p', model: 'groq-like', anchor: '2026-01-01', tokens: 1_000_000, period: 'monthly' }],
    });
    assert.deepEqual(fits, {
      'small-context': { window: 'context', limit: TOTAL - 1, needed: TOTAL },
      roomy: 'fits',
      'groq-like': { window: 'tpm', limit: 6000, needed: TOTAL },
    });
  });

  it("a tier's token limits count prompt + answer, its input-token limits the prompt alone; request limits never", () => {
    const model = (id: string) => ({ id, contextWindow: 1_000_000, deployments: [{ provider: 'p', price: null }] });
    const tier = (id: string, limits: NonNullable<CatalogData['freeTiers']>[number]['limits']) => ({
      provider: 'p',
      model: id,
      anchor: '2026-01-01',
      limits,
    });
    const fits = fitsOf({
      models: [model('itpm-ok'), model('tpm-short'), model('rpd-only')],
      freeTiers: [
        tier('itpm-ok', [{ unit: 'input_tokens', per: 'minute', limit: AGENT_PROMPT_TOKENS, resets: 'rolling' }]),
        tier('tpm-short', [{ unit: 'tokens', per: 'minute', limit: AGENT_PROMPT_TOKENS, resets: 'rolling' }]),
        tier('rpd-only', [{ unit: 'requests', per: 'day', limit: 1, resets: 'boundary' }]),
      ],
    });
    assert.equal(fits['itpm-ok'], 'fits');
    assert.deepEqual(fits['tpm-short'], { window: 'tpm', limit: AGENT_PROMPT_TOKENS, needed: TOTAL });
    assert.equal(fits['rpd-only'], 'fits');
  });

  it('paid models, expired tiers and tiers not yet started are not listed as free', () => {
    const fits = fitsOf({
      models: [
        { id: 'paid', contextWindow: 200_000, deployments: [{ provider: 'p', price: { input: 1, output: 1 } }] },
        { id: 'ended', contextWindow: 200_000, deployments: [{ provider: 'p', price: null }] },
        { id: 'later', contextWindow: 200_000, deployments: [{ provider: 'p', price: null }] },
      ],
      freeTiers: [
        { provider: 'p', model: 'ended', anchor: '2026-01-01', expires: '2026-03-01', tokens: 1, period: 'daily' },
        { provider: 'p', model: 'later', anchor: '2027-01-01', tokens: 1, period: 'daily' },
      ],
    });
    assert.deepEqual(fits, {});
  });

  it('the built-in catalog: Groq’s free llama is too small (6,000 tpm), Gemini and OpenRouter’s free models fit', () => {
    const fits = freeAgentFits(buildCatalog(builtin as CatalogData), NOV_26);
    const of = (model: string) => fits.find((f) => f.model === model);
    assert.deepEqual(of('llama-3.1-8b-instant')?.misfit, { window: 'tpm', limit: 6000, needed: TOTAL });
    assert.equal(of('moonshot-v1-8k')?.misfit?.window, 'context');
    for (const model of ['gemini-2.5-flash', 'gpt-oss-20b:free', 'gpt-oss-120b', 'mistral-small-latest'])
      assert.equal(of(model)?.misfit, undefined, `${model} should take an agent-sized request`);
    const [able, small] = describeAgentFits(fits);
    assert.match(
      able!,
      /^free models that can take an agent-sized request \(~25,000 prompt \+ 4,096 answer tokens\): /,
    );
    assert.match(able!, /gemini-2\.5-flash \(gemini\)/);
    assert.doesNotMatch(able!, /llama-3\.1-8b-instant/);
    assert.match(small!, /llama-3\.1-8b-instant \(groq: tpm 6,000\)/);
    assert.match(small!, /moonshot-v1-8k \(moonshot: context 8,192\)/);
    // Given the providers with a key (as serve's banner is), one that fits but has none says so.
    const [keyedAble] = describeAgentFits(fits, new Set(['gemini']));
    assert.match(keyedAble!, /gemini-2\.5-flash \(gemini\)/);
    assert.match(keyedAble!, /gpt-oss-20b:free \(openrouter, no key\)/);
  });

  it('says so when no free model fits, and nothing when there is no free model', () => {
    const none = freeAgentFits(
      catalogOf({
        models: [{ id: 'tiny', contextWindow: 8192, deployments: [{ provider: 'p', price: { input: 0, output: 0 } }] }],
      }),
      NOV_26,
    );
    assert.deepEqual(describeAgentFits(none), [
      'no free model can take an agent-sized request (~25,000 prompt + 4,096 answer tokens)',
      'free models too small for one: tiny (p: context 8,192)',
    ]);
    assert.deepEqual(describeAgentFits([]), []);
  });
});
