// An in-memory QuotaLedger for the gateway tests: keeps the port's promises (test/unit/quota-ledger-contract.test.ts
// holds it to the same contract as the SQLite store) and records every call, in a log it can share with the
// adapters so the order of "reserve" and "call" can be checked.
import { windowKey } from '../../src/core/types.ts';
import type {
  LimitUnit,
  Cooldown,
  CooldownScope,
  LedgerSnapshot,
  QuotaLedger,
  Reservation,
  TierUsage,
  TierWindow,
  UsageRecord,
} from '../../src/core/types.ts';

const scopeId = (c: CooldownScope) =>
  JSON.stringify([c.provider, c.model ?? '', c.keyFingerprint ?? '', c.endpointFingerprint ?? '']);

export class MemoryLedger implements QuotaLedger {
  readonly reserves: Reservation[] = [];
  readonly releases: string[] = [];
  readonly settles: UsageRecord[] = [];
  readonly cooldownsSet: Cooldown[] = [];
  readonly held = new Map<string, Reservation>();
  /** Tier keys whose reservations are refused, as if other processes held the rest of the tier. */
  readonly refuse = new Set<string>();
  private readonly cooldowns = new Map<string, Cooldown>();

  constructor(
    private readonly log: string[] = [],
    private readonly usedBefore: Record<string, number> = {},
    cooldowns: Cooldown[] = [],
  ) {
    for (const c of cooldowns) this.cooldowns.set(scopeId(c), c);
  }

  async snapshot(windows: TierWindow[], now: number): Promise<LedgerSnapshot> {
    const usage = new Map<string, TierUsage>();
    for (const w of windows) {
      const unit = w.unit ?? 'tokens';
      const live = [...this.held.values()].filter((r) => r.tierKey === w.key && r.expiresAt > now);
      usage.set(windowKey(w), {
        used: this.used(w.key, w.windowStart, unit),
        reserved: this.reservedOn(w.key, now, unit),
        ...(live.length ? { heldUntil: Math.max(...live.map((r) => r.expiresAt)) } : {}),
      });
    }
    return { usage, cooldowns: [...this.cooldowns.values()].filter((c) => c.until > now) };
  }

  async reserve(r: Reservation): Promise<boolean> {
    this.log.push(`reserve ${r.tierKey} ${r.requestId}`);
    this.reserves.push(r);
    if (this.refuse.has(r.tierKey)) return false;
    // A request id reserving again replaces its own hold rather than stacking on it.
    for (const l of r.limits) {
      const others = this.reservedOn(r.tierKey, r.now, l.unit, r.requestId);
      const need = l.unit === 'requests' ? 1 : l.unit === 'tokens' ? r.tokens : r.inputTokens;
      if (this.used(r.tierKey, l.windowStart, l.unit) + others + need > l.limit) return false;
    }
    this.held.set(r.requestId, r);
    return true;
  }

  async release(requestId: string): Promise<void> {
    this.log.push(`release ${requestId}`);
    this.releases.push(requestId);
    this.held.delete(requestId);
  }

  async settle(record: UsageRecord): Promise<void> {
    this.log.push(`settle ${record.requestId} ${record.outcome}`);
    this.held.delete(record.requestId);
    if (this.settles.some((s) => s.requestId === record.requestId)) return;
    this.settles.push(record);
  }

  /** Set to make every write check fail, as a read-only or full ledger file would. */
  unwritable: Error | undefined;
  readonly writeChecks: number[] = [];
  async checkWritable(now: number): Promise<void> {
    this.writeChecks.push(now);
    if (this.unwritable) throw this.unwritable;
  }

  async setCooldown(c: Cooldown): Promise<void> {
    this.log.push(
      `cooldown ${[c.provider, c.model, c.keyFingerprint && `#${c.keyFingerprint}`, c.endpointFingerprint && `@${c.endpointFingerprint}`].filter(Boolean).join(' ')} ${c.kind}`,
    );
    this.cooldownsSet.push(c);
    const prev = this.cooldowns.get(scopeId(c));
    if (!prev || c.until > prev.until) this.cooldowns.set(scopeId(c), c);
  }

  /** What a tier counted since `since`, in `unit`; `usedBefore` is tokens used before the test began. */
  private used(key: string, since: number, unit: LimitUnit): number {
    const before = unit === 'tokens' ? (this.usedBefore[key] ?? 0) : 0;
    const of = (s: UsageRecord) =>
      unit === 'requests' ? 1 : unit === 'tokens' ? s.inputTokens + s.outputTokens : s.inputTokens;
    return before + this.settles.filter((s) => s.tierKey === key && s.at >= since).reduce((n, s) => n + of(s), 0);
  }

  /** What calls in flight hold: their tokens (an input-token limit counts the whole hold, as the store does), or one request each. */
  private reservedOn(key: string, now: number, unit: LimitUnit, except?: string): number {
    return [...this.held.values()]
      .filter((r) => r.tierKey === key && r.expiresAt > now && r.requestId !== except)
      .reduce((n, r) => n + (unit === 'requests' ? 1 : r.tokens), 0);
  }
}
