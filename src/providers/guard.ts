// Our own clock around an adapter's stream. The SDKs' `timeout` only covers the wait for headers and their streams
// have no idle limit, and both SDKs end an aborted stream *quietly* (no throw) — which would look like a short but
// complete answer. So one AbortController we own is aborted by: the connect timer (until headers), the idle timer
// and the caller's signal. The idle timer runs only while we wait for the next item (a slow consumer is not a
// silent upstream) and restarts on every chunk of body bytes (a server trickling one event in many writes is not
// silent either). Whenever the iteration stops after we aborted, we throw the UpstreamError for *our* reason
// instead of trusting what the SDK says or does not say.
// The guard knows no SDK and no wire format: the adapter hands in how to classify its errors, and whether a
// stream ended complete is the adapter's to judge from the events it saw.

import { UpstreamError } from '../core/errors.ts';
import type { AdapterCall } from '../core/types.ts';
import { bodyWatch } from './body-watch.ts';

type StopReason = 'connect' | 'idle' | 'caller';

/** The SDK's own header timeout: a backstop just past ours, so ours normally fires first. */
export function sdkTimeoutMs(call: Pick<AdapterCall, 'timeouts'>): number {
  return Math.ceil(call.timeouts.connectMs) + 1000;
}

function stoppedError(provider: string, why: StopReason, call: Pick<AdapterCall, 'timeouts'>): UpstreamError {
  if (why === 'caller')
    return new UpstreamError({ provider, kind: 'aborted', message: `${provider}: request cancelled` });
  const message =
    why === 'connect'
      ? `${provider}: no response within ${call.timeouts.connectMs} ms`
      : `${provider}: the stream went silent for more than ${call.timeouts.idleMs} ms`;
  return new UpstreamError({ provider, kind: 'timeout', message });
}

/** What an adapter opened: its items, and the HTTP response when there is one (its bytes feed the idle timer). */
export interface OpenedStream<T> {
  data: AsyncIterable<T>;
  response?: Response;
}

/**
 * Opens a stream under our timers and yields its items. `open` receives the signal to hand to the client; `classify`
 * turns whatever the client threw into an UpstreamError (with the call's key scrubbed from its message). A response
 * from a fetch wrapped by watchBody feeds the idle timer with every chunk of bytes.
 */
export async function* guardedStream<T>(
  provider: string,
  call: Pick<AdapterCall, 'signal' | 'timeouts'>,
  classify: (err: unknown) => UpstreamError,
  open: (signal: AbortSignal) => Promise<OpenedStream<T>>,
): AsyncGenerator<T, void, undefined> {
  if (call.signal?.aborted) throw stoppedError(provider, 'caller', call);
  const controller = new AbortController();
  let stopped: StopReason | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stop = (why: StopReason) => {
    stopped ??= why;
    controller.abort();
  };
  const arm = (ms: number, why: StopReason) => {
    clearTimeout(timer);
    timer = setTimeout(() => stop(why), ms);
  };
  const onCallerAbort = () => stop('caller');
  call.signal?.addEventListener('abort', onCallerAbort, { once: true });
  // Our reason wins over whatever the SDK made of the abort (APIUserAbortError, a quiet end, a TypeError…).
  const fail = (err: unknown) => (stopped ? stoppedError(provider, stopped, call) : classify(err));

  let iterator: AsyncIterator<T> | undefined;
  let finished = false;
  let waiting = false; // true while we wait for the SDK's next item
  try {
    arm(call.timeouts.connectMs, 'connect');
    let opened: OpenedStream<T>;
    try {
      opened = await open(controller.signal);
    } catch (err) {
      throw fail(err);
    }
    const watch = bodyWatch(opened.response);
    if (watch) watch.onBytes = () => void (waiting && !stopped && arm(call.timeouts.idleMs, 'idle'));
    iterator = opened.data[Symbol.asyncIterator]();
    for (;;) {
      arm(call.timeouts.idleMs, 'idle');
      let next: IteratorResult<T>;
      waiting = true;
      try {
        next = await iterator.next();
      } catch (err) {
        throw fail(err);
      } finally {
        waiting = false;
        clearTimeout(timer);
      }
      if (stopped) throw fail(undefined); // the SDK ended quietly because we aborted it
      if (next.done) break;
      yield next.value;
    }
    finished = true;
  } finally {
    clearTimeout(timer);
    call.signal?.removeEventListener('abort', onCallerAbort);
    if (!finished) {
      // The consumer stopped early or something failed: release the connection.
      controller.abort();
      void Promise.resolve(iterator?.return?.()).catch(() => {});
    }
  }
}
