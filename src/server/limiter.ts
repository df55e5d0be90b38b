// A cap on upstream calls in flight. Past the cap a request waits in a short queue; when the queue is full, or the
// wait outlasts `maxWaitMs`, it gets a 429 with Retry-After instead of piling work on the providers (and on the
// user's rate limits) without bound.
import { HttpError } from './http-error.ts';

export interface LimiterOptions {
  maxConcurrent: number;
  maxQueued: number;
  maxWaitMs: number;
}

export interface Limiter {
  /** Resolves with a release function once a slot is free; rejects with a 429 when none frees up in time. */
  acquire(signal?: AbortSignal): Promise<() => void>;
  readonly active: number;
  readonly queued: number;
}

export function createLimiter(options: LimiterOptions): Limiter {
  let active = 0;
  const waiting: Array<() => void> = [];

  const busy = () =>
    new HttpError(
      'rate_limit',
      `the server is busy: ${options.maxConcurrent} calls in flight and the queue is full; retry shortly`,
      undefined,
      { 'retry-after': '1' },
      'server_busy',
    );

  function release(): void {
    const next = waiting.shift();
    if (next)
      next(); // the slot passes straight to the next waiter
    else active--;
  }

  function once(): () => void {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      release();
    };
  }

  return {
    get active() {
      return active;
    },
    get queued() {
      return waiting.length;
    },
    acquire(signal) {
      if (active < options.maxConcurrent) {
        active++;
        return Promise.resolve(once());
      }
      if (waiting.length >= options.maxQueued) return Promise.reject(busy());
      return new Promise((resolve, reject) => {
        const grant = () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', give);
          resolve(once());
        };
        const give = () => {
          const at = waiting.indexOf(grant);
          if (at >= 0) waiting.splice(at, 1);
          clearTimeout(timer);
          reject(busy());
        };
        const timer = setTimeout(give, options.maxWaitMs);
        signal?.addEventListener('abort', give, { once: true });
        waiting.push(grant);
      });
    },
  };
}
