// What a cooldown covers, built once where it is earned and kept as fields from then on (the ledger stores them
// in columns). A rejected key's cooldown carries the key's fingerprint and a failing endpoint's the base URL's, so
// fixing either lifts it at once: a rejected key does not block the key that replaces it, a wrong base URL does not
// block the corrected one.
import type { Cooldown, CooldownScope } from './types.ts';

/** 32 bits of FNV-1a: enough to tell two keys apart, far too little to say anything about either. */
export function keyFingerprint(key: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

/** Where a call went: the key and base URL it used. */
export interface CallSetup {
  apiKey: string;
  baseUrl: string;
}

/** The provider's key, rejected: every model of the provider, while that key is in use. */
export function rejectedKeyScope(provider: string, setup: CallSetup): CooldownScope {
  return { provider, keyFingerprint: keyFingerprint(setup.apiKey) };
}

/** One deployment failing at one endpoint. */
export function failingEndpointScope(provider: string, model: string, setup: CallSetup): CooldownScope {
  return { provider, model, endpointFingerprint: keyFingerprint(setup.baseUrl) };
}

/** Whether the cooldown holds for a call made with `current` (undefined: the provider has no key now). */
export function appliesTo(cooldown: CooldownScope, current: CallSetup | undefined): boolean {
  if (cooldown.keyFingerprint === undefined && cooldown.endpointFingerprint === undefined) return true;
  if (!current) return false;
  if (cooldown.keyFingerprint !== undefined && cooldown.keyFingerprint !== keyFingerprint(current.apiKey)) return false;
  return cooldown.endpointFingerprint === undefined || cooldown.endpointFingerprint === keyFingerprint(current.baseUrl);
}

/** Whether the cooldown sets aside this deployment (its own or its provider's). */
export function covers(cooldown: CooldownScope, provider: string, model: string): boolean {
  return cooldown.provider === provider && (cooldown.model === undefined || cooldown.model === model);
}

/** `groq` or `groq:llama-3.1-8b-instant`, for people; never parsed back. */
export function scopeLabel(cooldown: Pick<Cooldown, 'provider' | 'model'>): string {
  return cooldown.model === undefined ? cooldown.provider : `${cooldown.provider}:${cooldown.model}`;
}
