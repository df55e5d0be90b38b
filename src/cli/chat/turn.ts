// One question, one answer, through the gateway: the answer streams to stdout, a spinner waits on stderr until the
// first token (terminals only), and one closing line on stderr says who answered, what it cost and what was
// skipped. Shared by one-shot `chat` and the interactive session.
import { PartialAnswerError, type ChatResult, type Fallback, type Gateway } from '../../core/gateway.ts';
import type { ChatRequest } from '../../core/types.ts';
import type { Context } from '../common/context.ts';
import { groupThousands } from '../common/format.ts';
import { terminalSafe } from '../common/output.ts';
import { showWait } from './rate-wait.ts';
import { startSpinner } from './spinner.ts';
import { warnUsageNotBelieved, warnUsageNotRecorded } from './after-answer.ts';
import { logTurn, refusedInput, startTrace, turnRecord } from './turn-record.ts';

export interface TurnOptions {
  /** Print the answer as it arrives (false: all at once at the end). */
  stream: boolean;
  /** Print nothing on stdout while answering: the caller prints a JSON object at the end. */
  json: boolean;
  quiet: boolean;
  /** What the request log says of the turn besides the call: the conversation, `interactive` in a session. */
  log?: { conversationId?: string; client?: string };
}

export async function runTurn(
  context: Context,
  gateway: Gateway,
  request: ChatRequest,
  options: TurnOptions,
): Promise<ChatResult> {
  const { out } = context;
  const spinner = options.quiet ? undefined : await startSpinner(out.stderr, context.runtime.env, 'thinking');
  // Only the last character printed is kept (does the answer end its line?): a huge answer is not held twice.
  let lastPrinted = '';
  const safe = out.stdout.isTTY ? terminalSafe : (text: string) => text;
  const print = (text: string) => {
    if (options.json || !text) return;
    out.stdout.write(safe(text));
    lastPrinted = text.at(-1)!;
  };
  const finishLine = () => {
    if (!options.json && lastPrinted && lastPrinted !== '\n') out.stdout.write('\n');
  };
  const turn = gateway.chat(request);
  let stopWait = () => {};
  const trace = startTrace(context);
  let ended: Parameters<typeof turnRecord>[1] | undefined;
  try {
    for (;;) {
      const step = await turn.next();
      stopWait();
      if (step.done) {
        ended = { result: step.value };
        spinner?.stop();
        if (!options.stream) print(step.value.text);
        finishLine();
        // An answer of tool calls alone prints nothing on stdout: say so, even with --quiet, or it looks like nothing.
        if (!options.json && step.value.text === '' && step.value.toolCalls.length) out.note(toolCallsNote(step.value));
        if (!options.quiet) out.note(closingLine(context, step.value));
        warnUsageNotBelieved(context, step.value);
        warnUsageNotRecorded(context, step.value);
        return step.value;
      }
      const event = step.value;
      if (event.type === 'attempt') trace.current = event;
      else if (event.type === 'fallback') trace.fallbacks.push(event.fallback);
      if (event.type === 'wait') stopWait = showWait(out, spinner, event);
      else if (event.type === 'attempt')
        spinner?.text(event.attempt > 1 ? `retrying ${event.model}` : `asking ${event.model} (${event.provider})`);
      else if (event.type === 'fallback') spinner?.text(`${event.fallback.model} failed, trying the next`);
      else if (event.type === 'text-delta') {
        spinner?.stop();
        if (options.stream) {
          print(event.text);
          await out.drained(); // the next delta is pulled from the upstream only once stdout took this one
        }
      }
    }
  } catch (err) {
    ended = { err };
    stopWait();
    spinner?.stop();
    if (err instanceof PartialAnswerError && !context.outputClosed.aborted) {
      if (!options.stream) print(err.partial.text);
      finishLine();
      if (!options.quiet) out.note(closingLine(context, err.partial));
      warnUsageNotBelieved(context, err.partial);
      warnUsageNotRecorded(context, err.partial);
    }
    throw err;
  } finally {
    await turn.return(undefined as never); // settles or releases the attempt if we stopped reading early
    const end = ended ?? { err: undefined };
    if (!refusedInput(trace, end)) await logTurn(context, turnRecord(trace, end, options.log ?? {}));
  }
}

/** `the model answered with 2 tool calls: get_weather(…), search(…); use --json to read them` */
export function toolCallsNote(result: ChatResult): string {
  const n = result.toolCalls.length;
  const names = result.toolCalls.map((c) => `${terminalSafe(c.name)}(…)`).join(', ');
  return `the model answered with ${n} tool call${n === 1 ? '' : 's'}: ${names}; use --json to read them`;
}

/** `── llama-3.1-8b-instant · groq · 12 in + 40 out tokens · free tier: 999,948 left · after: x (y): reason` */
export function closingLine(context: Context, result: ChatResult): string {
  const style = context.out.errStyle;
  const approx = result.usage.estimated ? '~' : '';
  const parts = [
    style.bold(result.model),
    result.provider,
    `${approx}${groupThousands(result.usage.inputTokens)} in + ${approx}${groupThousands(result.usage.outputTokens)} out tokens${result.usage.estimated ? ' (estimated)' : ''}`,
    result.billing === 'free-tier' ? `free tier: ${groupThousands(result.freeRemaining ?? 0)} left` : result.billing,
  ];
  const line = `${style.dim('──')} ${parts.join(style.dim(' · '))}`;
  return result.fallbacks.length ? `${line}\n${fallbackLines(context, result.fallbacks)}` : line;
}

export function fallbackLines(context: Context, fallbacks: Fallback[]): string {
  const style = context.out.errStyle;
  return fallbacks
    .map((f) => `${style.dim('   fell back from')} ${f.model} (${f.provider}): ${terminalSafe(f.reason)}`)
    .join('\n');
}
