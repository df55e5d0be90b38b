// What a provider id and a model id may be, checked where they enter (settings.json, `providers add`), so every
// later step can take them as they are. Provider ids name environment variables (`<ID>_API_KEY`) and come first in
// `provider:model`, so they are short and plain. Model ids are the vendors' own and vary widely — Vertex's
// `claude-sonnet-v2@20241022`, Cloudflare's `@cf/meta/llama-3-8b-instruct`, Ollama's `llama3:8b`, SiliconFlow's
// `Qwen/Qwen2.5-7B-Instruct` — so they may hold any visible character; only what would break a line, a table or a
// terminal is refused.

const PROVIDER_ID = /^[a-z0-9][a-z0-9_-]{0,39}$/;
const MAX_MODEL_ID = 200;
/** Whitespace, control and format characters (bidi overrides, zero-width), unassigned and private-use code points. */
const INVISIBLE = /[\s\p{Cc}\p{Co}\p{Cn}\p{Cs}]|(?!\u200d)\p{Cf}/u; // the zero-width joiner of emoji stays

/** Why `id` cannot be a provider id, or undefined when it can. */
export function providerIdProblem(id: string): string | undefined {
  if (PROVIDER_ID.test(id)) return undefined;
  return 'must be 1-40 lower-case letters, digits, - or _, starting with a letter or digit (e.g. zhipu)';
}

/** Why `id` cannot be a model id, or undefined when it can. */
export function modelIdProblem(id: string): string | undefined {
  if (id.length === 0) return 'must not be empty';
  if (id.length > MAX_MODEL_ID) return `must be at most ${MAX_MODEL_ID} characters`;
  if (INVISIBLE.test(id)) return 'must not hold spaces, line breaks or invisible characters';
  if (id.toLowerCase() === 'auto') return 'must not be "auto", which means "let the router choose"';
  return undefined;
}
