// One interactive conversation, apart from the terminal that drives it: each line is a slash command or one turn
// (the question and what came before it sent, the answer streamed, both stored as the user saw them).
import { PartialAnswerError, type ChatResult, type Gateway } from '../../../core/gateway.ts';
import type { Message } from '../../../core/types.ts';
import type { Context } from '../../common/context.ts';
import { recordExchange, type Conversation } from '../conversation-log.ts';
import { saveOrWarn } from '../after-answer.ts';
import type { ChatFlags, ChatOptions } from '../flags.ts';
import { appendHistory } from './input-history.ts';
import { initialState, type SessionState } from './session-state.ts';
import { runSlashCommand } from './slash-commands.ts';
import { storedAnswerLimit, storedText } from '../stored-answer.ts';
import { runTurn } from '../turn.ts';

export class ChatSession {
  readonly state: SessionState;
  /** The answer being written, which Ctrl-C stops; undefined between answers and while a command runs. */
  answering: AbortController | undefined;
  private readonly storeLimit: number;

  /** `resumed`: the stored conversation `chat -c` / `chat --cid` picks up on a terminal. */
  constructor(
    private readonly context: Context,
    private readonly options: ChatOptions,
    private readonly flags: ChatFlags,
    resumed?: Conversation,
  ) {
    this.state = initialState(context, options, resumed);
    this.storeLimit = storedAnswerLimit(context.runtime.env);
  }

  /**
   * Built for each turn (cheap: the files stay loaded unless they changed), so each turn sees the state it starts
   * in; built once before the session starts too, so a broken ledger or settings file stops it first.
   */
  gateway(): Promise<Gateway> {
    return this.context.runtime.gateway({
      allowPaid: Boolean(this.options.allowPaid),
      timeoutSeconds: this.flags.timeout,
    });
  }

  /** Runs one line (a command or a message); false when the user asked to leave. */
  async handle(text: string): Promise<boolean> {
    if (text.startsWith('/')) return runSlashCommand(this.context, this.state, text);
    if (this.options.log) appendHistory(this.context.runtime.paths.history, text); // --no-log keeps nothing of the exchange
    await this.turn(text);
    return true;
  }

  private async turn(text: string): Promise<void> {
    const { context, options, flags, state } = this;
    const turn: Message = { role: 'user', content: text };
    const system: Message[] = state.system ? [{ role: 'system', content: state.system }] : [];
    const answering = new AbortController();
    this.answering = answering;
    let answer: ChatResult | undefined;
    try {
      answer = await runTurn(
        context,
        await this.gateway(),
        {
          messages: [...system, ...state.messages, turn],
          model: state.model,
          scenario: state.scenario,
          maxTokens: flags.maxTokens,
          temperature: flags.temperature,
          signal: answering.signal,
          // Streamed to the terminal, the answer is needed only as far as it is stored.
          ...(options.stream ? { keepText: this.storeLimit } : {}),
        },
        {
          stream: options.stream,
          json: false,
          quiet: Boolean(options.quiet),
          log: { client: 'interactive', ...(options.log ? { conversationId: state.conversationId } : {}) },
        },
      );
    } catch (err) {
      if (!(err instanceof PartialAnswerError)) {
        // Nothing was answered: nothing joins the conversation. Ctrl-C before the first token is a stop, not an error.
        if (!answering.signal.aborted) throw err;
        context.out.note(context.out.errStyle.dim('(stopped)'));
        return;
      }
      answer = err.partial; // what was shown stays in the conversation, as the user saw it
      if (answering.signal.aborted) context.out.note(context.out.errStyle.dim('(stopped)'));
      else throw err;
    } finally {
      if (answer !== undefined) this.remember(turn, answer);
    }
  }

  private remember(turn: Message, answer: ChatResult): void {
    // What is stored is what goes back as context: a huge answer, cut and marked, in both.
    const kept = { ...answer, text: storedText(answer, this.storeLimit) };
    const { state, context } = this;
    if (this.options.log)
      saveOrWarn(context, answer, () =>
        recordExchange(context.runtime.ledger(), state.conversationId, state.system, turn, kept, context.runtime.now()),
      );
    state.messages.push(turn, { role: 'assistant', content: kept.text });
  }
}
