// A short tag for a key, so that a cooldown earned by a rejected key does not block the key that replaces it.
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
