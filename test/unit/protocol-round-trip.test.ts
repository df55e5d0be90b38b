// Each codec's two directions agree (issue 16.1), over every wire fixture we have (test/fixtures/wire/):
// - requests: a client body decoded to the core's request, encoded for an upstream of the same protocol, and that
//   body decoded again gives the same core request — decode(encode(x)) = x where x is what the first decode made;
// - streams: the gateway's events, encoded as a client's Anthropic or OpenAI chat stream, decoded by that
//   protocol's upstream decoder, give the same events (and, for OpenAI, the same finish and usage);
// - a Responses request's reasoning effort reaches an OpenAI reasoning model and Anthropic as each takes it;
// - across protocols: an Anthropic request decoded, encoded as an OpenAI chat body, decoded from it, and encoded
//   for Anthropic again, keeps its conversation.
// What one protocol cannot say is named where it is left out (a JSON answer rides a forced tool on Anthropic;
// hints and Anthropic-only fields do not survive OpenAI).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { AdapterCall, ChatEvent, Message, ProviderSpec } from '../../src/core/types.ts';
import { readAnthropicRequest } from '../../src/protocols/anthropic-messages/request-decode.ts';
import { anthropicRequest } from '../../src/protocols/anthropic-messages/request-encode.ts';
import { AnthropicBlocks } from '../../src/protocols/anthropic-messages/stream-decode.ts';
import { anthropicStream } from '../../src/protocols/anthropic-messages/stream-encode.ts';
import { readOpenAiRequest } from '../../src/protocols/openai-chat/request-decode.ts';
import { openAiRequest } from '../../src/protocols/openai-chat/request-encode.ts';
import { openAiStreamEvents } from '../../src/protocols/openai-chat/stream-decode.ts';
import { openAiStream } from '../../src/protocols/openai-chat/stream-encode.ts';
import { readResponsesRequest } from '../../src/protocols/openai-responses/request-decode.ts';
import type { WireRequest } from '../../src/server/wire/request.ts';
import type { AnswerEvent } from '../../src/server/wire/wire.ts';

const DIR = join(import.meta.dirname, '..', 'fixtures', 'wire');

function fixtures(table: string): Array<[string, any]> {
  return readdirSync(join(DIR, table))
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => [f.replace(/\.json$/, ''), JSON.parse(readFileSync(join(DIR, table, f), 'utf8'))]);
}

const provider = (protocol: 'openai' | 'anthropic'): ProviderSpec => ({
  id: protocol === 'openai' ? 'openai' : 'anthropic',
  name: protocol,
  protocol,
  baseUrl: '',
  keyEnv: [],
  builtIn: true,
});

/** The adapter call the gateway would make of a decoded request. */
function callOf(request: WireRequest, protocol: 'openai' | 'anthropic'): AdapterCall {
  const { model, stream: _s, includeUsage: _u, thinking: _t, dropped: _d, answerShape: _a, ...rich } = request;
  return {
    ...rich,
    provider: provider(protocol),
    baseUrl: '',
    apiKey: 'k',
    upstreamModel: model,
    reasoningModel: true,
    timeouts: { connectMs: 1, idleMs: 1 },
  };
}

/** A decoded request as the core carries it, less what only the client's wire cares about. */
function core(request: WireRequest) {
  const { stream: _s, includeUsage: _u, dropped: _d, thinking: _t, answerShape: _a, ...rest } = request;
  return rest;
}

/** The request bodies that decode (the refusals have nothing to send on). */
const readable = (table: string) => fixtures(table).filter(([, f]) => !f.expected.error && !f.input.countTokens);

describe('anthropic-messages: decode(encode(request)) is the request', () => {
  for (const [name, fixture] of readable('anthropic-in')) {
    test(name, () => {
      const first = readAnthropicRequest(fixture.input.body);
      const { params, jsonTool } = anthropicRequest(callOf(first, 'anthropic'));
      const again = readAnthropicRequest(params);
      if (jsonTool) {
        // A JSON answer travels as a forced tool: the format comes back as that tool, everything else as it was.
        const { responseFormat: _f, tools: _t, toolChoice: _c, ...kept } = core(first);
        const { tools, toolChoice: _c2, ...keptAgain } = core(again);
        assert.deepEqual(normal(keptAgain), normal(kept));
        assert.deepEqual(
          tools?.map((t) => t.name),
          [jsonTool],
        );
        return;
      }
      assert.deepEqual(normal(core(again)), normal(core(first)));
    });
  }
});

/**
 * A request in the form Anthropic's wire gives it: system turns folded into one system prompt (Anthropic has no
 * system turns), turns of one role in a row merged (Anthropic wants user and assistant to alternate), text
 * blocks in a row joined.
 */
function normal<R extends { messages: Message[] }>(request: R): R {
  const system = request.messages.filter((m) => m.role === 'system').flatMap(parts);
  const turns: Array<{ role: Message['role']; content: any[] }> = [];
  for (const m of request.messages) {
    if (m.role === 'system') continue;
    const last = turns.at(-1);
    if (last?.role === m.role) last.content.push(...parts(m));
    else turns.push({ role: m.role, content: parts(m) });
  }
  const joinText = (list: any[]) =>
    list.reduce<any[]>((out, p) => {
      const prev = out.at(-1);
      if (p.type === 'text' && prev?.type === 'text' && !p.hints && !prev.hints)
        out[out.length - 1] = { ...prev, text: prev.text + p.text };
      else out.push(p);
      return out;
    }, []);
  return {
    ...request,
    messages: [
      ...(system.length ? [{ role: 'system', content: joinText(system) }] : []),
      ...turns.map((t) => ({ role: t.role, content: joinText(t.content) })),
    ],
  };
}

const parts = (m: Message): any[] => (typeof m.content === 'string' ? [{ type: 'text', text: m.content }] : m.content);

describe('openai-chat: decode(encode(request)) is the request', () => {
  for (const [name, fixture] of readable('openai-in')) {
    test(name, () => {
      const first = readOpenAiRequest(fixture.input);
      const again = readOpenAiRequest(openAiRequest(callOf(first, 'openai')));
      const { messages, ...rest } = core(again);
      const { messages: firstMessages, ...firstRest } = core(first);
      assert.deepEqual(rest, firstRest);
      // OpenAI says `developer` or `system`; the core has one system role. Reasoning is not sent back (no field).
      assert.deepEqual(messages, withoutReasoning(firstMessages));
    });
  }
});

function withoutReasoning(messages: Message[]): Message[] {
  return messages.map((m) => {
    if (typeof m.content === 'string') return m;
    const parts = m.content.filter((p) => p.type !== 'reasoning');
    return { ...m, content: parts.every((p) => p.type === 'text') ? parts.map((p) => p.text).join('') : parts };
  });
}

describe('anthropic-messages: stream decode(encode(events)) is the events', () => {
  for (const [name, fixture] of fixtures('anthropic-out').filter(([, f]) => f.input.stream)) {
    test(name, () => {
      const events: AnswerEvent[] = fixture.input.events;
      const encoder = anthropicStream({}, { id: 'r', created: 0, inputEstimate: 1 });
      const sse = encoder.start('m') + events.map((e) => encoder.event(e)).join('');
      const blocks = new AnthropicBlocks();
      const decoded: ChatEvent[] = [];
      for (const frame of sse.split('\n\n').filter(Boolean)) {
        const ev = JSON.parse(/^data: (.*)$/m.exec(frame)![1]!);
        if (ev.type === 'content_block_start') decoded.push(...blocks.start(ev));
        if (ev.type === 'content_block_delta') decoded.push(...blocks.delta(ev));
        if (ev.type === 'content_block_stop') decoded.push(...blocks.stop(ev.index));
      }
      assert.deepEqual(joined(decoded), joined(events));
    });
  }
});

describe('openai-chat: stream decode(encode(events)) is the events', () => {
  for (const [name, fixture] of fixtures('openai-out').filter(([, f]) => f.input.stream)) {
    test(name, async () => {
      const events: AnswerEvent[] = fixture.input.events;
      const includeUsage = fixture.input.includeUsage === true;
      const encoder = openAiStream({ includeUsage }, { id: 'r', created: 0, inputEstimate: 1 });
      const result = {
        model: 'm',
        finishReason: 'stop',
        usage: { inputTokens: 0, outputTokens: 0 },
        ...fixture.input.result,
      };
      const sse = encoder.start('m') + events.map((e) => encoder.event(e)).join('') + encoder.finish(result);
      const frames = sse
        .split('\n\n')
        .filter(Boolean)
        .map((frame) => ({ data: /^data: (.*)$/m.exec(frame)![1]! }));
      const decoded: ChatEvent[] = [];
      const options = { provider: 'openai', wrapped: false, usageAsked: includeUsage, droppedHints: [] };
      const batches = (async function* () {
        yield frames; // one batch, as the transport reads a whole buffer at once
      })();
      for await (const e of openAiStreamEvents(batches, { ...options, streamError: () => new Error('error') }))
        decoded.push(e);
      // A reasoning signature has no place on this wire (only Anthropic reads it back).
      assert.deepEqual({ ...joined(decoded), signature: undefined }, { ...joined(events), signature: undefined });
      const finish = decoded.at(-1);
      assert.ok(finish?.type === 'finish', JSON.stringify(finish));
      assert.equal(finish.reason, result.finishReason);
      if (includeUsage) {
        assert.equal(finish.usage?.inputTokens, result.usage.inputTokens);
        assert.equal(finish.usage?.outputTokens, result.usage.outputTokens);
      } else assert.equal(finish.usage, null);
    });
  }
});

describe('openai-responses: reasoning.effort reaches the upstream', () => {
  const request = readResponsesRequest({ model: 'm', input: 'hi', reasoning: { effort: 'high' } });
  test('an OpenAI reasoning model gets reasoning_effort', () => {
    assert.equal(
      (openAiRequest(callOf(request, 'openai')) as unknown as Record<string, unknown>).reasoning_effort,
      'high',
    );
  });
  test('Anthropic gets output_config.effort', () => {
    assert.deepEqual(anthropicRequest(callOf(request, 'anthropic')).params.output_config, { effort: 'high' });
  });
  test("OpenAI-only levels become Anthropic's nearest, or are left out and reported, never a 400 upstream", () => {
    const sent = (effort: string) =>
      anthropicRequest(callOf(readResponsesRequest({ model: 'm', input: 'hi', reasoning: { effort } }), 'anthropic'));
    assert.deepEqual(sent('minimal').params.output_config, { effort: 'low' });
    assert.deepEqual(sent('minimal').dropped, []);
    assert.equal(sent('none').params.output_config, undefined);
    assert.deepEqual(sent('none').dropped, ['effort']);
  });
});

/**
 * Events as what they say: text and reasoning joined, each tool call whole, in the order calls started. The
 * framing may differ (fragments regrouped, a held call sent whole, an empty call as `{}`) without changing that.
 */
function joined(events: readonly ChatEvent[]) {
  let text = '';
  let reasoning = '';
  let signature: string | undefined;
  const calls = new Map<number, { id: string; name: string; args: string }>();
  for (const e of events) {
    if (e.type === 'text-delta') text += e.text;
    if (e.type === 'reasoning-delta') {
      reasoning += e.text;
      signature = e.signature ?? signature;
    }
    if (e.type === 'tool-call-start') calls.set(e.index, { id: e.id, name: e.name, args: '' });
    if (e.type === 'tool-call-delta') calls.get(e.index)!.args += e.argumentsDelta;
  }
  const input = (args: string) => {
    try {
      const value = JSON.parse(args || '{}');
      return value && typeof value === 'object' && !Array.isArray(value) ? value : { invalid_json_arguments: args };
    } catch {
      return { invalid_json_arguments: args };
    }
  };
  return {
    text,
    reasoning,
    signature,
    calls: [...calls.values()].map((c) => ({ id: c.id, name: c.name, input: input(c.args) })),
  };
}

describe('across protocols: Anthropic in, OpenAI chat out, and back', () => {
  for (const [name, fixture] of readable('anthropic-in')) {
    test(name, () => {
      const first = readAnthropicRequest(fixture.input.body);
      const openAiBody = openAiRequest(callOf(first, 'openai'));
      const viaOpenAi = readOpenAiRequest(openAiBody);
      const { params, jsonTool } = anthropicRequest(callOf(viaOpenAi, 'anthropic'));
      const back = readAnthropicRequest(params);
      // OpenAI has no place for cache_control, signed thinking or the thinking switch: the conversation survives.
      if (name in RESHAPED) assert.equal(images(back.messages), images(first.messages), RESHAPED[name]);
      else assert.deepEqual(plain(normal(back).messages), plain(normal(first).messages));
      assert.deepEqual(
        back.tools?.map((t) => t.name).filter((n) => n !== jsonTool) ?? [],
        first.tools?.map((t) => t.name) ?? [],
      );
      // A JSON answer comes back to Anthropic as its forced tool.
      assert.equal(jsonTool !== undefined, first.responseFormat !== undefined);
      assert.deepEqual(back.stop, first.stop);
    });
  }
});

/** Cases whose conversation OpenAI chat says in another shape, and why; their images are counted instead. */
const RESHAPED: Record<string, string> = {
  'tool-result-with-image': "OpenAI tool turns take text only: a result's images follow the tool turn as a user turn",
};

const images = (messages: Message[]) => JSON.stringify(messages).split('"type":"image"').length - 1;

/** Messages without what OpenAI chat cannot carry: hints, reasoning and a result's error flag; system turns folded as Anthropic folds them. */
function plain(messages: Message[]) {
  const system = messages
    .filter((m) => m.role === 'system')
    .flatMap((m) =>
      typeof m.content === 'string' ? m.content : m.content.map((p) => (p.type === 'text' ? p.text : '')),
    )
    .join('');
  const rest = withoutReasoning(
    messages
      .filter((m) => m.role !== 'system')
      .map((m) =>
        typeof m.content === 'string'
          ? m
          : ({ ...m, content: m.content.map(({ hints: _h, isError: _e, ...p }: any) => p) } as Message),
      ),
  );
  return { system, rest: rest.map((m) => (Array.isArray(m.content) ? { ...m, content: simplify(m.content) } : m)) };
}

function simplify(parts: any[]) {
  return parts.every((p) => p.type === 'text') ? parts.map((p) => p.text).join('') : parts;
}
