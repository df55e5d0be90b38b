// Short tags for the key and the endpoint a cooldown was earned with, so that fixing either lifts it at once: a
// rejected key does not block the key that replaces it, a wrong base URL does not block the corrected one.
// 32 bits of FNV-1a: enough to tell two keys apart, far too little to say anything about either.
export function keyFingerprint(key: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

/** The cooldown scope of a rejected key: `groq#1a2b3c4d`. */
export function keyScope(provider: string, key: string): string {
  return `${provider}#${keyFingerprint(key)}`;
}

/** The cooldown scope of a deployment failing at one endpoint: `groq:llama-3.1-8b-instant@5e6f7a8b`. */
export function endpointScope(scope: string, baseUrl: string): string {
  return `${scope}@${keyFingerprint(baseUrl)}`;
}
