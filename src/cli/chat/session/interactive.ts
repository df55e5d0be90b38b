// The interactive session: type, read the answer as it streams, keep going. A pasted block is one message (lines
// arriving together are gathered), a line ending in `\` continues on the next. Lines typed while an answer streams
// are kept and sent in order once it ends, each shown after a prompt as it is sent, as a shell runs what was typed
// ahead; Ctrl-C stops the answer being written (its usage is recorded), drops what was typed ahead (as a shell's
// Ctrl-C flushes its input) and returns to the prompt; Ctrl-D or /exit leaves once what was typed ahead is done.
// Input history is kept between sessions in the config directory. This file is the terminal side; the conversation
// itself (commands, turns) is session.ts.
import { createInterface, type Interface } from 'node:readline';
import { PartialAnswerError } from '../../../core/gateway.ts';
import { terminalSafe } from '../../../lib/terminal-safe.ts';
import { visibleLine } from '../../../lib/visible-text.ts';
import type { Context } from '../../common/context.ts';
import { reportFailure } from '../../common/report-failure.ts';
import type { Conversation } from '../conversation-log.ts';
import type { ChatFlags, ChatOptions } from '../flags.ts';
import { HISTORY_SIZE, loadHistory } from './input-history.ts';
import { mutableOutput, type MutableOutput } from './mutable-output.ts';
import { ChatSession } from './session.ts';
import { nextTypedAhead } from './typed-ahead.ts';

/** Lines that arrive closer together than this were pasted, not typed. */
const PASTE_GAP_MS = 30;

/** `resumed`: the stored conversation `chat -c` / `chat --cid` picks up on a terminal. */
export async function interactiveSession(
  context: Context,
  options: ChatOptions,
  flags: ChatFlags,
  resumed?: Conversation,
): Promise<void> {
  const session = new ChatSession(context, options, flags, resumed);
  await session.gateway(); // a broken ledger or settings file stops the session before it starts
  const prompt = new PromptLoop(context, session);
  const { model, conversationId, messages } = session.state;
  // The id comes from the command line (--cid): an escape sequence in it is named, never run.
  const continuing = messages.length
    ? ` · continuing ${terminalSafe(visibleLine(conversationId))} (${messages.length} messages)`
    : '';
  context.out.note(
    context.out.errStyle.dim(`llm-gateway chat · model ${model}${continuing} · /help for commands, Ctrl-D to leave`),
  );
  await prompt.run();
  context.out.print('');
}

/** The prompt and what is typed at it: lines gathered into messages, lines typed ahead, Ctrl-C and Ctrl-D. */
class PromptLoop {
  // While a line is handled, readline's own echo is muted: keys typed ahead must not be drawn into the answer.
  private readonly echo: MutableOutput;
  private readonly rl: Interface;
  /** The lines of a message not sent yet: a paste still arriving, or lines that ended in `\`. */
  private pending: string[] = [];
  private flush: NodeJS.Timeout | undefined;
  /** A line is being handled: the prompt is not showing, and what is typed now waits in `typedAhead`. */
  private busy = false;
  private readonly typedAhead: string[] = [];
  private closed = false;
  private leave!: () => void;
  private readonly left = new Promise<void>((resolve) => (this.leave = resolve));

  constructor(
    private readonly context: Context,
    private readonly session: ChatSession,
  ) {
    this.echo = mutableOutput(context.readlineOutput);
    this.rl = createInterface({
      input: context.stdin,
      output: this.echo.stream,
      prompt: context.out.style.cyan('› '),
      history: loadHistory(context.runtime.paths.history),
      historySize: HISTORY_SIZE,
      removeHistoryDuplicates: true,
    });
  }

  /** Until the user leaves (and what was typed ahead is done). */
  run(): Promise<void> {
    this.rl.on('SIGINT', () => this.interrupt());
    // The terminal closed (SSH dropped): stop the answer — its usage is recorded as for Ctrl-C — and leave.
    const hangUp = () => {
      this.typedAhead.length = 0;
      this.pending = [];
      this.session.answering?.abort();
      this.rl.close();
    };
    process.on('SIGHUP', hangUp);
    void this.left.then(() => process.off('SIGHUP', hangUp));
    this.rl.on('line', (line) => this.take(line));
    this.rl.on('close', () => {
      this.closed = true;
      if (!this.busy) this.leave(); // else once the answer, and what was typed ahead, are done
    });
    this.rl.prompt();
    return this.left;
  }

  /** Ctrl-C: stops the answer (and drops what was typed ahead), else clears the input line. */
  private interrupt(): void {
    const { rl, context } = this;
    if (this.session.answering) {
      this.typedAhead.length = 0;
      if (rl.line) rl.write(null, { ctrl: true, name: 'u' });
      return this.session.answering.abort();
    }
    if (rl.line) {
      rl.write(null, { ctrl: true, name: 'u' }); // clear what was typed
      return;
    }
    context.out.note(context.out.errStyle.dim('(Ctrl-D or /exit to leave)'));
    rl.prompt();
  }

  /** A line from readline: typed ahead, a command, a continued line, or part of a paste still arriving. */
  private take(line: string): void {
    if (this.busy) {
      this.typedAhead.push(line); // typed while an answer streams: sent in order once it ends
      return;
    }
    if (this.pending.length === 0 && line.startsWith('/')) {
      void this.submit(line.trim()); // a command is one line: never gathered with what follows
      return;
    }
    this.pending.push(line);
    if (line.endsWith('\\')) {
      this.pending[this.pending.length - 1] = line.slice(0, -1);
      return;
    }
    clearTimeout(this.flush);
    this.flush = setTimeout(() => this.sendGathered(), PASTE_GAP_MS);
  }

  /** The lines gathered, once no more arrive, as one message. */
  private sendGathered(): void {
    // The last line of a paste that did not end in a newline is still on the input line: the block is sent as one
    // message when Enter completes it.
    if (this.rl.line) return;
    const text = this.pending.join('\n').trim();
    this.pending = [];
    if (text) void this.submit(text);
    else this.rl.prompt();
  }

  /** Handles one message or command, then the next typed ahead, then shows the prompt again (or leaves). */
  private async submit(text: string): Promise<void> {
    const { rl, context, session } = this;
    this.busy = true;
    this.echo.mute();
    let keepGoing = true;
    try {
      // A session lives long: each line first picks up what another process changed (`providers add`, a new key).
      context.runtime.refresh();
      keepGoing = await session.handle(text);
    } catch (err) {
      if (!(err instanceof PartialAnswerError && session.answering?.signal.aborted)) reportFailure(context, err);
    } finally {
      session.answering = undefined;
      this.busy = false;
      this.echo.unmute();
    }
    if (!keepGoing) {
      this.typedAhead.length = 0;
      rl.close();
      return this.leave();
    }
    const next = nextTypedAhead(this.typedAhead, this.pending);
    if (next !== undefined) {
      context.readlineOutput.write(`${rl.getPrompt()}${next}\n`); // shown as it is sent, as a shell shows it
      return void this.submit(next.startsWith('/') ? next.trim() : next);
    }
    if (this.closed) return this.leave();
    rl.prompt(true); // keeps what was typed ahead on the input line, with the cursor after it
  }
}
