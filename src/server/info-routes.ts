// The routes that make no call upstream: the model list (OpenAI's list shape, or Anthropic's when an Anthropic
// client asks), the quota report (the same JSON as `quota --json`), the token estimate and liveness.
import { estimateRequestTokens } from '../core/estimate.ts';
import type { Catalog } from '../core/types.ts';
import { readJson } from './body.ts';
import { sendJson, type Exchange } from './exchange.ts';
import { claudeRoutes, targetOf } from './model-choice.ts';
import type { ServerRuntime } from './runtime-port.ts';
import { readAnthropicRequest } from '../protocols/anthropic-messages/request-decode.ts';

interface ListedModel {
  id: string;
  name: string;
  owner: string;
}

/** Every catalog model, then `auto` and each scenario as selectable ids. */
export function selectableModels(catalog: Catalog): ListedModel[] {
  const models = [...catalog.models.values()].map((m) => ({
    id: m.id,
    name: m.name,
    owner: [...new Set(m.deployments.map((d) => d.provider))].join(','),
  }));
  const scenarios = [...catalog.scenarios.keys()]
    .filter((s) => !catalog.models.has(s))
    .map((s) => ({ id: s, name: `scenario ${s}: the first of its models that can answer`, owner: 'llm-gateway' }));
  return [
    ...models,
    { id: 'auto', name: 'the route planner picks (free quota first)', owner: 'llm-gateway' },
    ...scenarios,
  ];
}

export function modelsRoute(ex: Exchange, runtime: ServerRuntime): void {
  const models = selectableModels(runtime.catalog());
  if (ex.req.headers['anthropic-version']) {
    // Anthropic's GET /v1/models shape, for clients of that SDK.
    const data = models.map((m) => ({
      type: 'model',
      id: m.id,
      display_name: m.name,
      created_at: '1970-01-01T00:00:00Z',
    }));
    sendJson(ex, 200, { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null });
    return;
  }
  sendJson(ex, 200, {
    object: 'list',
    data: models.map((m) => ({ id: m.id, object: 'model', created: 0, owned_by: m.owner })),
  });
}

export async function quotaRoute(ex: Exchange, runtime: ServerRuntime): Promise<void> {
  sendJson(ex, 200, await runtime.quotaReport());
}

export function healthRoute(ex: Exchange): void {
  sendJson(ex, 200, { status: 'ok' });
}

/**
 * POST /v1/messages/count_tokens: our estimate (no tokenizer is bundled; it leans high, as routing does) of all the
 * request sends: messages, images, tool definitions and an output schema.
 */
export async function countTokensRoute(ex: Exchange, runtime: ServerRuntime, bodyLimit: number): Promise<void> {
  const request = readAnthropicRequest(await readJson(ex.req, bodyLimit), { countTokens: true });
  if (!claudeRoutes(request.model, runtime.catalog(), {})) targetOf(request.model, runtime.catalog());
  sendJson(ex, 200, { input_tokens: estimateRequestTokens(request) });
}
