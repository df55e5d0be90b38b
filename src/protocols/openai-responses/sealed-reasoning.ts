// A reasoning item's `encrypted_content`, as this server writes it: the reasoning's text and Anthropic's signature,
// packed so that a client which sends the item back with its visible `content` stripped (it is meant to return the
// opaque blob) still gives us both. Not encrypted — the client holds the text anyway — only marked as ours: a blob
// from OpenAI itself means nothing to any other model and is left out.
const PREFIX = 'llmgw.v1.';

export interface SealedReasoning {
  text: string;
  signature?: string;
}

export function seal(reasoning: SealedReasoning): string {
  return PREFIX + Buffer.from(JSON.stringify(reasoning), 'utf8').toString('base64url');
}

/** What seal() packed; undefined for anything else (another server's blob, or a damaged one). */
export function unseal(blob: string): SealedReasoning | undefined {
  if (!blob.startsWith(PREFIX)) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(blob.slice(PREFIX.length), 'base64url').toString('utf8'));
    if (typeof value !== 'object' || value === null) return undefined;
    const { text, signature } = value as Record<string, unknown>;
    if (typeof text !== 'string' || (signature !== undefined && typeof signature !== 'string')) return undefined;
    return { text, ...(signature !== undefined ? { signature } : {}) };
  } catch {
    return undefined;
  }
}
