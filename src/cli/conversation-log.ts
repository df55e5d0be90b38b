// Conversations as `chat` stores and resumes them, one-shot or interactive: the exchanges in order, each run's
// system prompt recorded when it differs from the one before, and the latest one used when picking it up again.
import { UsageError } from '../core/errors.ts';
import type { Message } from '../core/types.ts';
import type { Ledger } from '../store/ledger.ts';

export interface Conversation {
  id: string;
  /** The latest system prompt stored. */
  system?: string;
  /** User and assistant turns, oldest first. */
  exchanges: Message[];
}

/** The conversation `-c` (the latest) or `--cid <id>` names; undefined when neither was asked for. */
export function openConversation(ledger: () => Ledger, latest: boolean, cid: string | undefined): Conversation | undefined {
  const id = latest ? ledger().latestConversationId() : cid;
  if (latest && !id) throw new UsageError('there is no earlier conversation to continue', 'start one with llm-gateway chat "…"');
  if (!id) return undefined;
  const stored = ledger().loadConversation(id) ?? [];
  return {
    id,
    system: latestSystem(stored),
    exchanges: stored.filter((m) => m.role !== 'system'),
  };
}

/** Appends one exchange, preceded by the system prompt it ran under when that is not the one stored last. */
export function recordExchange(ledger: Ledger, id: string, system: string | undefined, turn: Message, answer: string, now: number): void {
  const stored = ledger.loadConversation(id) ?? [];
  const previous = latestSystem(stored);
  const header: Message[] = system !== undefined && system !== previous ? [{ role: 'system', content: system }] : [];
  ledger.appendMessages(id, [...header, turn, { role: 'assistant', content: answer }], now);
}

function latestSystem(messages: Message[]): string | undefined {
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i]!.role === 'system') return messages[i]!.content;
  return undefined;
}
