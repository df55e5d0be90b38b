// Collects a streamed answer's tool calls from their start / argument-delta / end events, by index (parallel calls
// may interleave their fragments), into whole calls in the order they started.
import type { ChatEvent, ToolCall } from './types.ts';

type ToolCallEvent = Extract<ChatEvent, { type: 'tool-call-start' | 'tool-call-delta' | 'tool-call-end' }>;

export class ToolCallCollector {
  private readonly byIndex = new Map<number, ToolCall & { ended: boolean }>();

  /** True once any tool call has started: the answer has begun. */
  get started(): boolean {
    return this.byIndex.size > 0;
  }

  take(event: ToolCallEvent): void {
    if (event.type === 'tool-call-start') {
      this.byIndex.set(event.index, { id: event.id, name: event.name, arguments: '', ended: false });
      return;
    }
    const call = this.byIndex.get(event.index);
    if (!call) return; // an adapter sends a start first; a stray fragment has no call to join
    if (event.type === 'tool-call-delta') call.arguments += event.argumentsDelta;
    else call.ended = true;
  }

  /** The calls so far, in start order; `completeOnly`: only those whose arguments ended (a cut answer). */
  calls(options: { completeOnly?: boolean } = {}): ToolCall[] {
    return [...this.byIndex.entries()]
      .sort(([a], [b]) => a - b)
      .filter(([, call]) => call.ended || !options.completeOnly)
      .map(([, { id, name, arguments: args }]) => ({ id, name, arguments: args }));
  }

  /** Every name and argument fragment so far, for a token estimate when the provider reports no usage. */
  text(): string {
    let all = '';
    for (const call of this.byIndex.values()) all += call.name + call.arguments;
    return all;
  }
}
