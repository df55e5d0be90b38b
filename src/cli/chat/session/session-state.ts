// What an interactive session carries from one line to the next: the model, scenario and system prompt in use, and
// the conversation so far (a resumed one, or a new one with a fresh id).
import { randomUUID } from 'node:crypto';
import type { Message } from '../../../core/types.ts';
import type { Context } from '../../common/context.ts';
import type { Conversation } from '../conversation-log.ts';
import { defaultModel } from '../default-model.ts';
import type { ChatOptions } from '../flags.ts';

export interface SessionState {
  /** As typed: a model id, `provider:model`, or `auto` (the route planner picks). */
  model: string;
  scenario: string | undefined;
  system: string | undefined;
  messages: Message[];
  conversationId: string;
}

/** `resumed`: the stored conversation `chat -c` / `chat --cid` picks up on a terminal. */
export function initialState(context: Context, options: ChatOptions, resumed?: Conversation): SessionState {
  return {
    model: options.model ?? defaultModel(context) ?? 'auto',
    scenario: options.scenario,
    system: options.system ?? resumed?.system,
    messages: [...(resumed?.exchanges ?? [])],
    conversationId: resumed?.id ?? newConversationId(),
  };
}

export function newConversationId(): string {
  return randomUUID().slice(0, 8);
}
