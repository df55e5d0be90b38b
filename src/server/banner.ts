// The start-up banner, after the old service's: one line per provider (its model count, and whether a key was
// found and where — never the key), the number of providers, then (printed by the caller, with the same code as
// `quota`) the free quota table, then the address and how to read the access key.
import { describeKeyProblem } from '../core/router-detail.ts';
import type { Catalog, KeyProblem, ProviderSpec } from '../core/types.ts';
import type { AccessKey } from './access-key.ts';
import { SERVER_KEY_ENV } from './access-key.ts';

/**
 * `keySource(provider)`: where its key comes from (`env GROQ_API_KEY`, `stored`), or undefined when it has none;
 * `keyProblem(provider)`: why the key it has cannot be sent (a space in the variable), which is not "no key".
 */
export function providerLines(
  catalog: Catalog,
  keySource: (provider: ProviderSpec) => string | undefined,
  keyProblem: (provider: ProviderSpec) => KeyProblem | undefined = () => undefined,
): string[] {
  const counts = new Map<string, number>();
  for (const model of catalog.models.values()) {
    for (const provider of new Set(model.deployments.map((d) => d.provider)))
      counts.set(provider, (counts.get(provider) ?? 0) + 1);
  }
  const lines: string[] = [];
  let keyed = 0;
  for (const provider of catalog.providers.values()) {
    const n = counts.get(provider.id) ?? 0;
    const models = `${n} ${n === 1 ? 'model' : 'models'}`;
    const source = keySource(provider);
    if (source) keyed++;
    const problem = source ? undefined : keyProblem(provider);
    lines.push(
      problem
        ? `✗ provider key unusable: ${provider.id} (${models}; ${describeKeyProblem(problem)})`
        : source
          ? `✓ provider ready: ${provider.id} (${models}, ${provider.auth?.kind === 'none' ? 'no key needed' : `key from ${source}`})`
          : `· provider without key: ${provider.id} (${models}; add one with ${provider.keyEnv[0] ? `${provider.keyEnv[0]} or ` : ''}\`llm-gateway providers add ${provider.id}\`)`,
    );
  }
  const total = catalog.providers.size;
  lines.push('', `${total} ${total === 1 ? 'provider' : 'providers'} initialised, ${keyed} with a key`);
  return lines;
}

export function addressLines(url: string, key: AccessKey): string[] {
  const where =
    key.source === 'env'
      ? `access key: the value of ${SERVER_KEY_ENV}`
      : `access key: ${key.created ? 'generated now, ' : ''}in ${key.path} — read it with: cat ${key.path}`;
  return [
    `llm-gateway serving on ${url}`,
    `  OpenAI clients:    OPENAI_BASE_URL=${url}/v1 OPENAI_API_KEY=<key>`,
    `  Anthropic clients: ANTHROPIC_BASE_URL=${url} ANTHROPIC_API_KEY=<key>`,
    `  ${where}`,
    '  Ctrl-C stops it (answers in flight get up to 10 s to finish)',
  ];
}
