// The output items of recent answers, held in memory so that an `item_reference` to one resolves. The AI SDK's
// OpenAI provider leaves `store` at OpenAI's default (true) and, in a tool loop's next step, sends the previous
// step's text and reasoning back as `{type: 'item_reference', id}` instead of the items: without this, its default
// model fails on the second step of any loop whose first step said something. Only answers to requests that did not
// say `store: false` are held (Codex says it, and is never held); nothing is written to disk, and the memory is
// bounded by count, bytes and age, so an old reference is a 400 that says how to send the items instead.

export interface ItemMemoryLimits {
  maxItems: number;
  /** Of the items' JSON text, all together. */
  maxBytes: number;
  ttlMs: number;
}

interface Held {
  item: Record<string, unknown>;
  bytes: number;
  at: number;
}

export class ItemMemory {
  private readonly items = new Map<string, Held>(); // oldest first: a Map keeps insertion order
  private bytes = 0;

  constructor(
    private readonly limits: ItemMemoryLimits,
    private readonly now: () => number = Date.now,
  ) {}

  remember(items: unknown[]): void {
    const at = this.now();
    for (const item of items) {
      const id = (item as { id?: unknown }).id;
      if (typeof id !== 'string') continue;
      const bytes = JSON.stringify(item).length;
      if (bytes > this.limits.maxBytes) continue;
      this.forget(id);
      this.items.set(id, { item: item as Record<string, unknown>, bytes, at });
      this.bytes += bytes;
    }
    this.trim(at);
  }

  /** The item with this id, while it is held. */
  recall(id: string): Record<string, unknown> | undefined {
    this.trim(this.now());
    return this.items.get(id)?.item;
  }

  private forget(id: string): void {
    const held = this.items.get(id);
    if (!held) return;
    this.items.delete(id);
    this.bytes -= held.bytes;
  }

  private trim(now: number): void {
    for (const [id, held] of this.items) {
      const over =
        this.items.size > this.limits.maxItems ||
        this.bytes > this.limits.maxBytes ||
        now - held.at > this.limits.ttlMs;
      if (!over) return;
      this.forget(id);
    }
  }
}

/** Enough for the loops of a few busy clients, small beside the server's own footprint. */
export const RECENT_ITEMS_LIMITS: ItemMemoryLimits = { maxItems: 4096, maxBytes: 16 * 1024 * 1024, ttlMs: 3_600_000 };

/** The server's one memory (a process serves one operator's clients; ids carry a random UUID, so none is guessed). */
export const recentItems = new ItemMemory(RECENT_ITEMS_LIMITS);
