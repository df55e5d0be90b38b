// An attempt's answer as it streams in: its text, reasoning and tool calls, the last usage the provider reported,
// and what it has cost so far. Whole when the stream finishes; as far as it got when the stream is cut.
import { AnswerText } from './answer-text.ts';
import { keptText, resultOf } from './attempt-result.ts';
import { ToolCallCollector } from './tool-calls.ts';
import type { AnswerPart, Candidate, ChatEvent, ChatResult, Fallback, FinishReason, Usage } from './types.ts';

/** Everything a stream sends before its finish. */
export type AnswerPiece = Exclude<ChatEvent, { type: 'finish' }>;

/** Who answered, under which request id, and what the run passed over before it. */
export interface AnswerFrom {
  candidate: Candidate;
  requestId: string;
  fallbacks: Fallback[];
}

export class AnswerSoFar {
  // Kept whole, or its first `keepText` bytes when the caller shows the deltas and stores no more than that.
  private readonly text: AnswerText;
  private reasoning = ''; // thinking text: never shown as the answer, but billed and a first token all the same
  private readonly toolCalls = new ToolCallCollector();
  private reported: Usage | undefined; // the last usage the provider reported mid-stream (cumulative)
  private usageDoubt: string | undefined; // why a usage the provider reported was not believed
  /** The answer's runs in arrival order; a tool call by its id, filled from the collector at the end. */
  private readonly runs: Array<AnswerPart | { type: 'call'; id: string }> = [];

  constructor(
    keepText: number | undefined,
    private readonly inputEstimate: number,
  ) {
    this.text = new AnswerText(keepText);
  }

  take(piece: AnswerPiece): void {
    switch (piece.type) {
      case 'text-delta': {
        const kept = this.text.add(piece.text);
        const last = this.runs.at(-1);
        if (last?.type === 'text') last.text += kept;
        else if (kept) this.runs.push({ type: 'text', text: kept });
        return;
      }
      case 'reasoning-delta': {
        this.reasoning += piece.text;
        const last = this.runs.at(-1);
        const run = last?.type === 'reasoning' ? last : { type: 'reasoning' as const, text: '' };
        if (run !== last) this.runs.push(run);
        run.text += piece.text;
        if (piece.signature) run.signature = piece.signature;
        return;
      }
      case 'tool-call-start':
        this.runs.push({ type: 'call', id: piece.id });
        this.toolCalls.take(piece);
        return;
      case 'tool-call-delta':
      case 'tool-call-end':
        this.toolCalls.take(piece);
        return;
      case 'usage':
        this.reported = piece.usage;
        return;
    }
  }

  /** A usage report was not believed (it cannot be true): said with the answer, once. */
  doubt(reason: string): void {
    this.usageDoubt ??= reason;
  }

  /** Any piece of an answer — text, reasoning, a tool call's first fragment — means the answer has begun. */
  get begun(): boolean {
    return !this.text.empty || this.reasoning !== '' || this.toolCalls.started;
  }

  /** What the answer has cost so far: the last usage the provider reported, else our estimate. */
  spent(): Usage {
    return (
      this.reported ?? {
        inputTokens: this.inputEstimate,
        outputTokens: this.text.tokensWith(this.reasoning + this.toolCalls.text()),
        estimated: true,
      }
    );
  }

  /** The whole answer, as the provider finished it. `ledgerLeft`: the free tokens the ledger holds after it. */
  finished(from: AnswerFrom, usage: Usage, finishReason: FinishReason, ledgerLeft: number | undefined): ChatResult {
    return this.resultOf(from, usage, finishReason, this.toolCalls.calls(), ledgerLeft);
  }

  /** The answer as far as it got. A tool call cut mid-arguments is dropped: half a call cannot be run. */
  cut(from: AnswerFrom, usage: Usage, ledgerLeft: number | undefined): ChatResult {
    return this.resultOf(from, usage, 'other', this.toolCalls.calls({ completeOnly: true }), ledgerLeft);
  }

  private resultOf(
    { candidate, requestId, fallbacks }: AnswerFrom,
    usage: Usage,
    finishReason: FinishReason,
    toolCalls: ChatResult['toolCalls'],
    ledgerLeft: number | undefined,
  ): ChatResult {
    const answer = { requestId, ...keptText(this.text), toolCalls, reasoning: this.reasoning, usage, finishReason };
    const byId = new Map(toolCalls.map((c) => [c.id, c]));
    // A call left out (cut mid-arguments) leaves no part; a provider that repeats an id gets each call once.
    const parts = this.runs.flatMap((run): AnswerPart[] => {
      if (run.type !== 'call') return [run];
      const call = byId.get(run.id);
      byId.delete(run.id);
      return call ? [{ type: 'tool-call', id: call.id, name: call.name, arguments: call.arguments }] : [];
    });
    const result = { ...resultOf(candidate, { ...answer, fallbacks }, ledgerLeft), parts };
    // Said only when it mattered: a later, believable report would have replaced the doubted one.
    return this.usageDoubt === undefined || !usage.estimated
      ? result
      : { ...result, usageNotBelieved: this.usageDoubt };
  }
}
