// What the SDK stream iterators cannot tell us, seen on the raw bytes of a streaming response:
//  1. Is the body still moving? A server may trickle one event over many small writes; the idle timer must see
//     those bytes, not only whole parsed events.
//  2. Did a terminator line arrive (for an adapter that asks)? OpenAI's iterator ends the same way on
//     `data: [DONE]` and on a body that simply stops, so when a stream's finish came without the usage it asked
//     for, only the terminator says whether the server meant to stop there. JSON escapes newlines, so no payload
//     text starts a line.
// The wrapper passes every byte through untouched.

export interface BodyWatch {
  /** A line matching the terminator pattern went by (always false without a pattern). */
  terminated: boolean;
  /** Called on every chunk of body bytes (set by the reader that cares). */
  onBytes?: () => void;
}

const watches = new WeakMap<Response, BodyWatch>();

export const OPENAI_TERMINATOR = /^data: ?\[DONE\]/;

/** Wraps a fetch so that `bodyWatch(response)` can answer for the successful responses it returns. */
export function watchBody(inner: typeof fetch = globalThis.fetch, terminator?: RegExp): typeof fetch {
  return async (input, init) => {
    const res = await inner(input, init);
    if (!res.ok || !res.body) return res;
    const watch: BodyWatch = { terminated: false };
    const decoder = new TextDecoder();
    let carry = ''; // the start of the current, unfinished line (only its first characters matter)
    const check = (line: string) => {
      if (terminator?.test(line)) watch.terminated = true;
    };
    const body = res.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, out) {
          out.enqueue(chunk);
          watch.onBytes?.();
          if (!terminator) return;
          const lines = (carry + decoder.decode(chunk, { stream: true })).split(/\r\n|\r|\n/);
          carry = (lines.pop() ?? '').slice(0, 32);
          lines.forEach(check);
        },
        flush() {
          check(carry + decoder.decode());
        },
      }),
    );
    const wrapped = new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
    watches.set(wrapped, watch);
    return wrapped;
  };
}

/** The watch of a response that went through watchBody, else undefined. */
export function bodyWatch(res: Response | undefined): BodyWatch | undefined {
  return res ? watches.get(res) : undefined;
}
