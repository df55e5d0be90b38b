// Streamed `tool_calls` deltas → tool-call-start / -delta / -end events. OpenAI sends, per call, a first delta with
// `index`, `id`, `type` and `function.name`, then deltas with the same `index` and an `arguments` fragment alone
// (openai-node ChatCompletionChunk.Choice.Delta.ToolCall; platform.openai.com/docs/guides/function-calling,
// "Streaming"). Compatible servers differ, and each difference is met here rather than passed on:
// - the whole call in one delta (vLLM, Ollama, some Groq models): a start and one argument delta;
// - no `index` (some vLLM and LM Studio versions): a delta with a new id, or a name while the last call has one
//   already, starts the next call; anything else continues the last one;
// - every call at `index` 0 with its own id (Gemini's OpenAI endpoint did): a new id at a used index is a new call;
// - no `id`: we make one (`call_` + random), since the client must be able to answer the call by id;
// - `arguments` as an object rather than JSON text: serialised once.
// Calls end when the answer finishes (`end()`), not when the next one starts: nothing in the wire promises
// fragments of one call never follow another's.
import { randomBytes } from 'node:crypto';
import type { ChatEvent } from '../../core/types.ts';

/** One tool_calls entry as it may arrive (looser than the SDK's type: vendors omit or reshape fields). */
interface WireToolCallDelta {
  index?: number;
  id?: string | null;
  function?: { name?: string | null; arguments?: unknown } | null;
}

interface OpenCall {
  index: number;
  id: string;
  wireId?: string;
  name?: string;
  started: boolean;
  /** Argument text that arrived before the name (held until the call can start). */
  pending: string;
}

export const madeCallId = () => `call_${randomBytes(12).toString('hex')}`;

export class OpenAiToolCalls {
  private readonly byWireIndex = new Map<number, OpenCall>();
  private readonly calls: OpenCall[] = [];

  /** How many calls the answer has made so far. */
  get count(): number {
    return this.calls.length;
  }

  /** The events one chunk's `delta.tool_calls` means. */
  take(deltas: unknown): ChatEvent[] {
    if (!Array.isArray(deltas)) return [];
    const events: ChatEvent[] = [];
    for (const raw of deltas as WireToolCallDelta[]) {
      if (!raw || typeof raw !== 'object') continue;
      const call = this.callFor(raw);
      const name = raw.function?.name;
      if (typeof name === 'string' && name && !call.name) call.name = name;
      const args = argumentsText(raw.function?.arguments);
      if (!call.started && call.name) {
        call.started = true;
        events.push({ type: 'tool-call-start', index: call.index, id: call.id, name: call.name });
      }
      if (call.started) {
        const text = call.pending + args;
        call.pending = '';
        if (text) events.push({ type: 'tool-call-delta', index: call.index, argumentsDelta: text });
      } else call.pending += args;
    }
    return events;
  }

  /** Ends every call (a call that never got a name starts now, nameless, so its arguments are not lost). */
  end(): ChatEvent[] {
    const events: ChatEvent[] = [];
    for (const call of this.calls) {
      if (!call.started) {
        events.push({ type: 'tool-call-start', index: call.index, id: call.id, name: call.name ?? '' });
        if (call.pending) events.push({ type: 'tool-call-delta', index: call.index, argumentsDelta: call.pending });
      }
      events.push({ type: 'tool-call-end', index: call.index });
    }
    return events;
  }

  private callFor(d: WireToolCallDelta): OpenCall {
    const wireId = typeof d.id === 'string' && d.id ? d.id : undefined;
    const last = this.calls.at(-1);
    if (typeof d.index === 'number') {
      const known = this.byWireIndex.get(d.index);
      if (known && !(wireId && known.wireId && wireId !== known.wireId)) return known;
      return this.open(wireId, d.index);
    }
    const startsNew = !last || (wireId && wireId !== last.wireId) || (!wireId && d.function?.name && last.name);
    return startsNew ? this.open(wireId) : last;
  }

  private open(wireId: string | undefined, wireIndex?: number): OpenCall {
    const call: OpenCall = {
      index: this.calls.length,
      id: wireId ?? madeCallId(),
      wireId,
      started: false,
      pending: '',
    };
    this.calls.push(call);
    if (wireIndex !== undefined) this.byWireIndex.set(wireIndex, call);
    return call;
  }
}

function argumentsText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object') return JSON.stringify(v);
  return '';
}
