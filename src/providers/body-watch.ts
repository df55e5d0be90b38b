// What the SDK stream iterators cannot tell us, seen on the raw bytes of a streaming response:
//  1. Did the terminator line arrive? OpenAI's iterator ends the same way on `data: [DONE]` and on a body that
//     simply stops (a connection closed cleanly mid-answer would pass for a finished answer); and both SDKs follow
//     the SSE rule that drops a last event without its blank line, so a server that sends `event: message_stop`
//     and closes without it would be taken for a cut. JSON escapes newlines, so no payload text starts a line.
//  2. Is the body still moving? A server may trickle one event over many small writes; the idle timer must see
//     those bytes, not only whole parsed events.
// The wrapper passes every byte through untouched.

export interface BodyWatch {
  /** A line matching the terminator pattern went by. */
  terminated: boolean;
  /** Called on every chunk of body bytes (set by the reader that cares). */
  onBytes?: () => void;
}

const watches = new WeakMap<Response, BodyWatch>();

export const OPENAI_TERMINATOR = /^data: ?\[DONE\]/;
export const ANTHROPIC_TERMINATOR = /^event: ?message_stop\s*$/;

/** Wraps a fetch so that `bodyWatch(response)` can answer for the successful responses it returns. */
export function watchBody(terminator: RegExp, inner: typeof fetch = globalThis.fetch): typeof fetch {
  return async (input, init) => {
    const res = await inner(input, init);
    if (!res.ok || !res.body) return res;
    const watch: BodyWatch = { terminated: false };
    const decoder = new TextDecoder();
    let carry = ''; // the start of the current, unfinished line (only its first characters matter)
    const check = (line: string) => {
      if (terminator.test(line)) watch.terminated = true;
    };
    const body = res.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, out) {
          out.enqueue(chunk);
          watch.onBytes?.();
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
