// Tool-call ids as Anthropic takes them. Anthropic requires a tool_use id (and the tool_result's tool_use_id) to
// match ^[a-zA-Z0-9_-]+$ (docs.anthropic.com, Messages API: tool_use.id); ids made by OpenAI-compatible vendors need
// not: Kimi sends `functions.get_weather:0`. A loop that moves between providers (a fallback mid-conversation)
// must send the same id in the assistant's tool_use and in the tool_result that answers it, so the mapping is a
// pure function of the id: valid ids pass unchanged, others get their other characters replaced and a hash of the
// whole original appended (two ids that differ only in a replaced character stay apart). The id the client sees is
// never rewritten: only what goes to an Anthropic upstream (and what serve's Anthropic side sends, if it must).

const VALID = /^[a-zA-Z0-9_-]+$/;

/** FNV-1a, 32 bits, in base 36: short, stable across runs and platforms. */
function hash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(36);
}

/** The id as Anthropic accepts it: itself when valid, else a deterministic valid form. */
export function anthropicToolId(id: string): string {
  if (VALID.test(id)) return id;
  return `${id.replace(/[^a-zA-Z0-9_-]/g, '_')}_${hash(id)}`;
}
