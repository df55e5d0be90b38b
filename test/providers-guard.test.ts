// The stream guard knows no SDK and no wire format: a later adapter for a protocol without SSE or without the
// Stainless error classes gets the same timers and the same error discipline from it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UpstreamError } from '../src/core/errors.ts';
import { guardedStream } from '../src/providers/guard.ts';

const call = { timeouts: { connectMs: 5_000, idleMs: 200 } };
const classify = (err: unknown) =>
  new UpstreamError({ provider: 'p', kind: 'server', message: `classified: ${(err as Error).message}` });

async function drain<T>(items: AsyncIterable<T>): Promise<{ items: T[]; error?: UpstreamError }> {
  const out: T[] = [];
  try {
    for await (const item of items) out.push(item);
    return { items: out };
  } catch (error) {
    return { items: out, error: error as UpstreamError };
  }
}

test('items of any async iterable pass through, with no HTTP response at all', async () => {
  async function* frames() {
    yield { n: 1 };
    yield { n: 2 };
  }
  const r = await drain(guardedStream('p', call, classify, async () => ({ data: frames() })));
  assert.deepEqual(r, { items: [{ n: 1 }, { n: 2 }] });
});

test("what the client throws is classified by the adapter's own function", async () => {
  async function* frames() {
    yield 'a';
    throw new Error('frame 2 was garbage');
  }
  const r = await drain(guardedStream('p', call, classify, async () => ({ data: frames() })));
  assert.deepEqual(r.items, ['a']);
  assert.equal(r.error?.message, 'classified: frame 2 was garbage');
});

test('a source that goes silent is stopped by the idle timer, whatever it is', async () => {
  let released = false;
  async function* frames(signal: AbortSignal) {
    yield 'first';
    // Never yields again; it only ends because the guard aborts it.
    await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
    released = true;
  }
  const r = await drain(guardedStream('p', call, classify, async (signal) => ({ data: frames(signal) })));
  assert.deepEqual(r.items, ['first']);
  assert.equal(r.error?.kind, 'timeout');
  assert.match(r.error!.message, /silent for more than 200 ms/);
  assert.ok(released, 'the source saw the abort');
});
