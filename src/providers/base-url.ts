// Base URLs as the two SDKs want them. The catalog and users write OpenAI-style bases that end in `/v1`
// (`https://api.anthropic.com/v1` included), but the Anthropic SDK appends `/v1/messages` itself, so for it one
// trailing `/v1` is removed. OpenAI-compatible bases vary (`/v1`, `/compatible-mode/v1`, `/api/paas/v4`) and the
// SDK appends `/chat/completions`, so they are kept as given.

/** Trims whitespace and trailing slashes; nothing else. */
export function openAiBaseUrl(url: string): string {
  return url.trim().replace(/\/+$/, '');
}

/** Trims trailing slashes and one trailing `/v1`: `https://api.anthropic.com/v1/` -> `https://api.anthropic.com`. */
export function anthropicBaseUrl(url: string): string {
  return openAiBaseUrl(url).replace(/\/v1$/, '').replace(/\/+$/, '');
}
