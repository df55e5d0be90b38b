// The adapter for a protocol, loaded on first use: a run that only talks to Groq never loads the Anthropic SDK.
import type { Adapter, Protocol } from '../core/types.ts';

export async function loadAdapter(protocol: Protocol): Promise<Adapter> {
  if (protocol === 'anthropic') return (await import('../providers/anthropic.ts')).anthropicAdapter;
  return (await import('../providers/openai-compatible.ts')).openAiCompatibleAdapter;
}
