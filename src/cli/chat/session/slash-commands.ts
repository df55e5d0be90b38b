// The interactive session's commands: a line starting with `/` shows or changes the session's settings, lists
// models or quota, starts a new conversation, or leaves.
import { resolveModel } from '../../../core/catalog.ts';
import { UsageError } from '../../../core/errors.ts';
import type { Context } from '../../common/context.ts';
import { newConversationId, type SessionState } from './session-state.ts';

const HELP = `commands:
  /model [id|auto]     show or set the model (auto: the route planner picks)
  /scenario [name]     show or set the scenario (default, code, reasoning, long_context, …)
  /system [text]       show or set the system prompt (/system - clears it)
  /models  /quota      the model list, the free quota left
  /clear               start a new conversation
  /help  /exit         this help; leave (Ctrl-D works too)
A pasted block is sent as one message; end a line with \\ to continue on the next. Ctrl-C stops an answer.`;

/** Runs the command `text` (`/name args`); false when it asks to leave. */
export async function runSlashCommand(context: Context, state: SessionState, text: string): Promise<boolean> {
  const [name, ...rest] = text.slice(1).split(/\s+/);
  const arg = rest.join(' ').trim();
  const say = (line: string) => context.out.print(line);
  switch (name) {
    case 'exit':
    case 'quit':
      return false;
    case 'help':
      say(HELP);
      break;
    case 'model':
      if (arg && arg !== 'auto') resolveModel(context.runtime.catalog(), arg); // refuses an unknown model now, not at the next question
      if (arg) state.model = arg; // as typed: `moonshot:kimi-k2.5` stays pinned to moonshot
      say(`model: ${state.model}`);
      break;
    case 'scenario':
      if (arg && !context.runtime.catalog().scenarios.has(arg)) {
        throw new UsageError(
          `unknown scenario "${arg}"`,
          `known: ${[...context.runtime.catalog().scenarios.keys()].join(', ')}`,
        );
      }
      if (arg) state.scenario = arg;
      say(`scenario: ${state.scenario ?? 'chosen by prompt size (default or long_context)'}`);
      break;
    case 'system':
      if (arg) state.system = arg === '-' ? undefined : arg;
      say(`system prompt: ${state.system ?? '(none)'}`);
      break;
    case 'models':
      await (await import('../../models/models.ts')).modelsCommand(context, { capability: [] });
      break;
    case 'quota':
      await (await import('../../quota/quota.ts')).quotaCommand(context, {});
      break;
    case 'clear':
      state.messages = [];
      state.conversationId = newConversationId();
      say('new conversation');
      break;
    default:
      throw new UsageError(`unknown command /${name}`, '/help lists the commands');
  }
  return true;
}
