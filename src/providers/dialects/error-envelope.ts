// Some providers answer errors without OpenAI's `{"error": {...}}` envelope — SiliconFlow sends
// `{"code":20012,"message":"Model does not exist. Please check it carefully.","data":null}`
// (https://docs.siliconflow.cn/faqs/error-code). The OpenAI SDK reads only `body.error`, so such an error reaches
// us with no code and no message at all. This fetch wrapper wraps a JSON error body that has no `error` object as
// `{"error": <body>}`; every other response passes through untouched.

/** Bodies larger than this are passed through as they are: no provider's error is this long. */
const MAX_ERROR_BODY = 64 * 1024;

export function envelopeErrors(inner: typeof fetch): typeof fetch {
  return async (input, init) => {
    const res = await inner(input, init);
    if (res.ok || !res.body || !/json/i.test(res.headers.get('content-type') ?? '')) return res;
    const declared = Number(res.headers.get('content-length'));
    if (Number.isFinite(declared) && declared > MAX_ERROR_BODY) return res;
    const text = await res.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    const bare = body && typeof body === 'object' && !Array.isArray(body) && !('error' in body) ? body : undefined;
    const headers = new Headers(res.headers);
    headers.delete('content-length');
    return new Response(bare ? JSON.stringify({ error: bare }) : text, {
      status: res.status,
      statusText: res.statusText,
      headers,
    });
  };
}
