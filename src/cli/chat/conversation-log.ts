// Conversations as `chat` stores and resumes them, one-shot or interactive: the exchanges in order, each run's
// system prompt recorded when it differs from the one before, and the latest one used when picking it up again.
import { UsageError } from '../../core/errors.ts';
import { messageText, type Message } from '../../core/types.ts';
import type { ChatResult } from '../../core/gateway.ts';
import type { Ledger } from '../../store/ledger.ts';

export interface Conversation {
  id: string;
  /** The latest system prompt stored. */
  system?: string;
  /** User and assistant turns, oldest first. */
  exchanges: Message[];
}

/** The conversation `-c` (the latest) or `--cid <id>` names; undefined when neither was asked for. */
export function openConversation(
  ledger: () => Ledger,
  latest: boolean,
  cid: string | undefined,
): Conversation | undefined {
  const id = latest ? ledger().conversations.latestId() : cid;
  if (latest && !id)
    throw new UsageError('there is no earlier conversation to continue', 'start one with llm-gateway chat "…"');
  if (!id) return undefined;
  const stored = ledger().conversations.load(id) ?? [];
  return {
    id,
    system: latestSystem(stored),
    exchanges: stored.filter((m) => m.role !== 'system').map(({ role, content }) => ({ role, content })),
  };
}

/**
 * Appends one exchange, preceded by the system prompt it ran under when that is not the one stored last. The
 * answer (whole or cut) keeps the request id, provider and model of the call, which join it to its usage row.
 */
export function recordExchange(
  ledger: Ledger,
  id: string,
  system: string | undefined,
  turn: Message,
  answer: Pick<ChatResult, 'text' | 'requestId' | 'provider' | 'model'>,
  now: number,
): void {
  const stored = ledger.conversations.load(id) ?? [];
  const previous = latestSystem(stored);
  const header: Message[] = system !== undefined && system !== previous ? [{ role: 'system', content: system }] : [];
  const reply = {
    role: 'assistant' as const,
    content: answer.text,
    requestId: answer.requestId,
    provider: answer.provider,
    model: answer.model,
  };
  ledger.conversations.append(id, [...header, turn, reply], now);
}

function latestSystem(messages: Message[]): string | undefined {
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i]!.role === 'system') return messageText(messages[i]!);
  return undefined;
}
