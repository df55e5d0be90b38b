// Drains an adapter (or gateway) stream for a test: every event that arrived, the text, and the error if it threw.
// Keeping the events that came *before* an error is the point: a cut must surface after the first deltas.

export interface Collected<E> {
  events: E[];
  deltas: string[];
  error?: any;
  /** Milliseconds from the first pull to the end or the error. */
  elapsedMs: number;
}

export async function collect<E extends { type: string }>(
  stream: AsyncIterable<E>,
  opts: { onEvent?: (e: E) => void | Promise<void> } = {},
): Promise<Collected<E>> {
  const events: E[] = [];
  const start = performance.now();
  let error: unknown;
  try {
    for await (const e of stream) {
      events.push(e);
      await opts.onEvent?.(e);
    }
  } catch (err) {
    error = err;
  }
  const deltas = events.flatMap((e) => (e.type === 'text-delta' ? [(e as unknown as { text: string }).text] : []));
  return { events, deltas, error, elapsedMs: performance.now() - start };
}
