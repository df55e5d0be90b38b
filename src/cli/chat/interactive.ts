// The interactive session: type, read the answer as it streams, keep going. A pasted block is one message (lines
// arriving together are gathered), a line ending in `\` continues on the next. Lines typed while an answer streams
// are kept and sent in order once it ends, each shown after a prompt as it is sent, as a shell runs what was typed
// ahead; Ctrl-C stops the answer being written (its usage is recorded), drops what was typed ahead (as a shell's
// Ctrl-C flushes its input) and returns to the prompt; Ctrl-D or /exit leaves once what was typed ahead is done.
// Input history is kept between sessions in the config directory.
import { randomUUID } from 'node:crypto';
import { appendFileSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { resolveModel } from '../../core/catalog.ts';
import { UsageError } from '../../core/errors.ts';
import { PartialAnswerError, type ChatResult } from '../../core/gateway.ts';
import type { Message } from '../../core/types.ts';
import { ensurePrivateDir, PRIVATE_FILE_MODE } from '../../store/files.ts';
import { runTurn } from './turn.ts';
import { recordExchange, type Conversation } from './conversation-log.ts';
import type { ChatFlags, ChatOptions } from './flags.ts';
import type { Context } from '../shared/context.ts';
import { defaultModel } from './default-model.ts';
import { reportFailure } from '../shared/report-failure.ts';
import { storedAnswerLimit, storedText } from './stored-answer.ts';
import { mutableOutput } from './mutable-output.ts';

/** Lines that arrive closer together than this were pasted, not typed. */
const PASTE_GAP_MS = 30;
const HISTORY_SIZE = 500;

const HELP = `commands:
  /model [id|auto]     show or set the model (auto: the route planner picks)
  /scenario [name]     show or set the scenario (default, code, reasoning, long_context, …)
  /system [text]       show or set the system prompt (/system - clears it)
  /models  /quota      the model list, the free quota left
  /clear               start a new conversation
  /help  /exit         this help; leave (Ctrl-D works too)
A pasted block is sent as one message; end a line with \\ to continue on the next. Ctrl-C stops an answer.`;

/** `resumed`: the stored conversation `chat -c` / `chat --cid` picks up on a terminal. */
export async function interactiveSession(
  context: Context,
  options: ChatOptions,
  flags: ChatFlags,
  resumed?: Conversation,
): Promise<void> {
  const state = {
    model: options.model ?? defaultModel(context) ?? 'auto',
    scenario: options.scenario,
    system: options.system ?? resumed?.system,
    messages: [...(resumed?.exchanges ?? [])],
    conversationId: resumed?.id ?? randomUUID().slice(0, 8),
  };
  // Built for each turn (cheap: the files stay loaded unless they changed), so each turn sees the state it starts in;
  // built once here too, so a broken ledger or settings file stops the session before it starts.
  const newGateway = () =>
    context.runtime.gateway({ allowPaid: Boolean(options.allowPaid), timeoutSeconds: flags.timeout });
  await newGateway();
  const storeLimit = storedAnswerLimit(context.runtime.env);
  // While a line is handled, readline's own echo is muted: keys typed ahead must not be drawn into the answer.
  const echo = mutableOutput(context.readlineOutput);
  const rl = createInterface({
    input: context.stdin,
    output: echo.stream,
    prompt: context.out.style.cyan('› '),
    history: loadHistory(context.runtime.paths.history),
    historySize: HISTORY_SIZE,
    removeHistoryDuplicates: true,
  });
  let answering: AbortController | undefined;
  let pending: string[] = [];
  let flush: NodeJS.Timeout | undefined;
  /** A line is being handled: the prompt is not showing, and what is typed now waits in `typedAhead`. */
  let busy = false;
  const typedAhead: string[] = [];
  let closed = false;
  let leave!: () => void;
  const left = new Promise<void>((resolve) => (leave = resolve));

  const continuing = state.messages.length
    ? ` · continuing ${state.conversationId} (${state.messages.length} messages)`
    : '';
  context.out.note(
    context.out.errStyle.dim(
      `llm-gateway chat · model ${state.model}${continuing} · /help for commands, Ctrl-D to leave`,
    ),
  );
  rl.on('SIGINT', () => {
    if (answering) {
      typedAhead.length = 0;
      if (rl.line) rl.write(null, { ctrl: true, name: 'u' });
      return answering.abort();
    }
    if (rl.line) {
      rl.write(null, { ctrl: true, name: 'u' }); // clear what was typed
      return;
    }
    context.out.note(context.out.errStyle.dim('(Ctrl-D or /exit to leave)'));
    rl.prompt();
  });

  const submit = async (text: string) => {
    busy = true;
    echo.mute();
    let keepGoing = true;
    try {
      // A session lives long: each line first picks up what another process changed (`providers add`, a new key).
      context.runtime.refresh();
      keepGoing = await handle(text);
    } catch (err) {
      if (!(err instanceof PartialAnswerError && answering?.signal.aborted)) reportFailure(context, err);
    } finally {
      answering = undefined;
      busy = false;
      echo.unmute();
    }
    if (!keepGoing) {
      typedAhead.length = 0;
      rl.close();
      return leave();
    }
    const next = nextTypedAhead();
    if (next !== undefined) {
      context.readlineOutput.write(`${rl.getPrompt()}${next}\n`); // shown as it is sent, as a shell shows it
      return void submit(next.startsWith('/') ? next.trim() : next);
    }
    if (closed) return leave();
    rl.prompt(true); // keeps what was typed ahead on the input line, with the cursor after it
  };

  /** The next message typed ahead: one line, or lines joined by a trailing `\`; blank lines are passed over. */
  const nextTypedAhead = (): string | undefined => {
    const parts: string[] = [];
    while (typedAhead.length) {
      const line = typedAhead.shift()!;
      if (line.endsWith('\\') && !line.startsWith('/')) {
        parts.push(line.slice(0, -1));
        continue;
      }
      parts.push(line);
      const text = parts.join('\n');
      if (text.trim()) return text.startsWith('/') ? text : text.trim();
      parts.length = 0;
    }
    pending.push(...parts); // a continuation typed ahead waits for its next line, as at the prompt
    return undefined;
  };

  const handle = async (text: string): Promise<boolean> => {
    if (text.startsWith('/')) return command(text);
    if (options.log) appendHistory(context.runtime.paths.history, text); // --no-log keeps nothing of the exchange
    const turn: Message = { role: 'user', content: text };
    const system: Message[] = state.system ? [{ role: 'system', content: state.system }] : [];
    answering = new AbortController();
    let answer: ChatResult | undefined;
    try {
      const result = await runTurn(
        context,
        await newGateway(),
        {
          messages: [...system, ...state.messages, turn],
          model: state.model,
          scenario: state.scenario,
          maxTokens: flags.maxTokens,
          temperature: flags.temperature,
          signal: answering.signal,
          // Streamed to the terminal, the answer is needed only as far as it is stored.
          ...(options.stream ? { keepText: storeLimit } : {}),
        },
        { stream: options.stream, json: false, quiet: Boolean(options.quiet) },
      );
      answer = result;
    } catch (err) {
      if (!(err instanceof PartialAnswerError)) {
        // Nothing was answered: nothing joins the conversation. Ctrl-C before the first token is a stop, not an error.
        if (!answering.signal.aborted) throw err;
        context.out.note(context.out.errStyle.dim('(stopped)'));
        return true;
      }
      answer = err.partial; // what was shown stays in the conversation, as the user saw it
      if (answering.signal.aborted) context.out.note(context.out.errStyle.dim('(stopped)'));
      else throw err;
    } finally {
      if (answer !== undefined) remember(turn, answer);
    }
    return true;
  };

  const remember = (turn: Message, answer: ChatResult) => {
    // What is stored is what goes back as context: a huge answer, cut and marked, in both.
    const kept = { ...answer, text: storedText(answer, storeLimit) };
    if (options.log)
      recordExchange(context.runtime.ledger(), state.conversationId, state.system, turn, kept, context.runtime.now());
    state.messages.push(turn, { role: 'assistant', content: kept.text });
  };

  const command = async (text: string): Promise<boolean> => {
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
        await (await import('../models/models.ts')).modelsCommand(context, { capability: [] });
        break;
      case 'quota':
        await (await import('../quota/quota.ts')).quotaCommand(context, {});
        break;
      case 'clear':
        state.messages = [];
        state.conversationId = randomUUID().slice(0, 8);
        say('new conversation');
        break;
      default:
        throw new UsageError(`unknown command /${name}`, '/help lists the commands');
    }
    return true;
  };

  rl.on('line', (line) => {
    if (busy) {
      typedAhead.push(line); // typed while an answer streams: sent in order once it ends
      return;
    }
    if (pending.length === 0 && line.startsWith('/')) {
      void submit(line.trim()); // a command is one line: never gathered with what follows
      return;
    }
    pending.push(line);
    if (line.endsWith('\\')) {
      pending[pending.length - 1] = line.slice(0, -1);
      return;
    }
    clearTimeout(flush);
    flush = setTimeout(() => {
      // The last line of a paste that did not end in a newline is still on the input line: the block is sent
      // as one message when Enter completes it.
      if (rl.line) return;
      const text = pending.join('\n').trim();
      pending = [];
      if (text) void submit(text);
      else rl.prompt();
    }, PASTE_GAP_MS);
  });
  rl.on('close', () => {
    closed = true;
    if (!busy) leave(); // else once the answer, and what was typed ahead, are done
  });
  rl.prompt();
  await left;
  context.out.print('');
}

function loadHistory(path: string): string[] {
  try {
    // readline wants the newest first
    return readFileSync(path, 'utf8').split('\n').filter(Boolean).map(unescapeLine).reverse().slice(0, HISTORY_SIZE);
  } catch {
    return [];
  }
}

function appendHistory(path: string, line: string): void {
  try {
    ensurePrivateDir(dirname(path));
    appendFileSync(path, `${line.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}\n`, { mode: PRIVATE_FILE_MODE });
  } catch {
    // history is a convenience: a read-only config directory must not stop the conversation
  }
}

const unescapeLine = (line: string) => line.replace(/\\(n|\\)/g, (_m, c: string) => (c === 'n' ? '\n' : '\\'));
