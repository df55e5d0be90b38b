// An Anthropic stream's content blocks → ChatEvents (docs.anthropic.com/en/docs/build-with-claude/streaming):
// text blocks give text-deltas; thinking blocks reasoning-deltas, their signature_delta a reasoning-delta with the
// signature (no text) just before the block stops; tool_use blocks a tool-call-start (id and name from
// content_block_start), a tool-call-delta per input_json_delta and a tool-call-end at content_block_stop. The forced
// JSON-answer tool (json-answer-tool.ts) is not a tool call: its input fragments are the answer's text.
// Anthropic-compatible servers that put a tool's whole input in content_block_start and stream no fragments are
// met too: that input is sent as one fragment when the block stops. redacted_thinking has nothing we can carry.
// A wrapped JSON answer ({"answer": …}, for a schema whose root is not an object) is held until its block stops,
// then unwrapped and sent as one text delta: its pieces cannot be cut out of the wrapper as they stream.
import { unwrapAnswer } from '../../core/json-schema-root.ts';
import type {
  RawContentBlockDeltaEvent,
  RawContentBlockStartEvent,
} from '@anthropic-ai/sdk/resources/messages/messages';
import type { ChatEvent } from '../../core/types.ts';

type Block =
  | { kind: 'text' | 'thinking' | 'json' | 'other' }
  | { kind: 'tool'; call: number; startInput: string; streamed: boolean };

export class AnthropicBlocks {
  private readonly blocks = new Map<number, Block>();
  private calls = 0;
  private jsonAnswered = false;
  /** The wrapped JSON answer's text so far (only when `wrapped`). */
  private held = '';

  constructor(
    private readonly jsonTool?: string,
    private readonly wrapped = false,
  ) {}

  /** The JSON answer's text: passed on, or held when it must be unwrapped at the end. */
  private answerText(text: string): ChatEvent[] {
    if (!text) return [];
    if (this.wrapped) {
      this.held += text;
      return [];
    }
    return [{ type: 'text-delta', text }];
  }

  /** Tool calls made so far (the JSON answer is not one). */
  get toolCalls(): number {
    return this.calls;
  }

  /** True when the answer came through the forced JSON tool. */
  get answeredAsJson(): boolean {
    return this.jsonAnswered;
  }

  start(ev: RawContentBlockStartEvent): ChatEvent[] {
    const b = ev.content_block;
    switch (b.type) {
      case 'text':
        this.blocks.set(ev.index, { kind: 'text' });
        return b.text ? [{ type: 'text-delta', text: b.text }] : [];
      case 'thinking':
        this.blocks.set(ev.index, { kind: 'thinking' });
        return b.thinking ? [{ type: 'reasoning-delta', text: b.thinking }] : [];
      case 'tool_use': {
        const input =
          b.input && typeof b.input === 'object' && Object.keys(b.input).length ? JSON.stringify(b.input) : '';
        if (this.jsonTool && b.name === this.jsonTool) {
          this.jsonAnswered = true;
          this.blocks.set(ev.index, { kind: 'json' });
          return this.answerText(input);
        }
        const call = this.calls++;
        this.blocks.set(ev.index, { kind: 'tool', call, startInput: input, streamed: false });
        return [{ type: 'tool-call-start', index: call, id: b.id, name: b.name }];
      }
      default:
        this.blocks.set(ev.index, { kind: 'other' });
        return [];
    }
  }

  delta(ev: RawContentBlockDeltaEvent): ChatEvent[] {
    const block = this.blocks.get(ev.index);
    const d = ev.delta;
    switch (d.type) {
      case 'text_delta':
        return d.text ? [{ type: 'text-delta', text: d.text }] : [];
      case 'thinking_delta':
        return d.thinking ? [{ type: 'reasoning-delta', text: d.thinking }] : [];
      case 'signature_delta':
        return d.signature ? [{ type: 'reasoning-delta', text: '', signature: d.signature }] : [];
      case 'input_json_delta':
        if (!d.partial_json || !block) return [];
        if (block.kind === 'json') return this.answerText(d.partial_json);
        if (block.kind !== 'tool') return [];
        block.streamed = true;
        return [{ type: 'tool-call-delta', index: block.call, argumentsDelta: d.partial_json }];
      default:
        return [];
    }
  }

  stop(index: number): ChatEvent[] {
    const block = this.blocks.get(index);
    if (block?.kind === 'json' && this.wrapped && this.held) {
      const text = unwrapAnswer(this.held);
      this.held = '';
      return [{ type: 'text-delta', text }];
    }
    if (block?.kind !== 'tool') return [];
    const whole: ChatEvent[] =
      !block.streamed && block.startInput
        ? [{ type: 'tool-call-delta', index: block.call, argumentsDelta: block.startInput }]
        : [];
    return [...whole, { type: 'tool-call-end', index: block.call }];
  }
}
