// The Responses API codec (src/protocols/openai-responses/) on its own: a request as Codex sends it, decoded; an
// answer encoded both ways (the stream, folded as a client folds it, ends in the same response object as the JSON
// answer); and the round trip a tool loop makes — the answer's output items, sent back as the next request's
// input, decode to the very assistant turn the answer was (reasoning and its signature, text, calls by id, a
// namespace's function by its flattened name).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ChatResult } from '../../src/core/gateway.ts';
import type { ResponsesShape } from '../../src/protocols/openai-responses/request-decode.ts';
import { readResponsesRequest } from '../../src/protocols/openai-responses/request-decode.ts';
import { ItemMemory } from '../../src/protocols/openai-responses/item-memory.ts';
import { responsesObject } from '../../src/protocols/openai-responses/answer-encode.ts';
import { responsesStream } from '../../src/protocols/openai-responses/stream-encode.ts';
import { HttpError } from '../../src/server/http-error.ts';
import type { AnswerEvent, AnswerMeta } from '../../src/server/wire/wire.ts';

const meta: AnswerMeta = { id: '0b6f2c1e-7d1a-4c55-9a0e-1f2e3d4c5b6a', created: 1_765_000_000, inputEstimate: 40 };

/**
 * A turn of a Codex session, in the shape of Codex's ResponsesApiRequest (openai/codex,
 * codex-rs/codex-api/src/common.rs): instructions, the history as input items, function tools, `tool_choice: auto`,
 * reasoning, `store: false`, `stream: true`, `include`, `prompt_cache_key`; plus the cached web search Codex adds
 * by default and an MCP server's tools as a namespace (openai SDK 6.x NamespaceTool).
 */
const codexTurn = {
  model: 'gpt-5-codex',
  instructions: 'You are Codex.',
  input: [
    { type: 'message', role: 'developer', content: [{ type: 'input_text', text: '<permissions>' }] },
    { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'List the files' }] },
    {
      type: 'reasoning',
      id: 'rs_1',
      summary: [{ type: 'summary_text', text: 'I should run ls.' }],
      encrypted_content: 'gAAAAB-openai-opaque', // OpenAI's own: meaningless to any other model
    },
    { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Running ls.' }] },
    { type: 'function_call', name: 'shell', arguments: '{"command":["ls"]}', call_id: 'call_1' },
    { type: 'function_call_output', call_id: 'call_1', output: 'README.md\nsrc' },
  ],
  tools: [
    {
      type: 'function',
      name: 'shell',
      description: 'Runs a command',
      strict: false,
      parameters: { type: 'object', properties: { command: { type: 'array', items: { type: 'string' } } } },
    },
    { type: 'web_search', external_web_access: false },
    {
      type: 'namespace',
      name: 'mcp__docs',
      description: 'Docs server',
      tools: [{ type: 'function', name: 'search', parameters: { type: 'object', properties: {} } }],
    },
  ],
  tool_choice: 'auto',
  parallel_tool_calls: false,
  reasoning: { effort: 'medium', summary: 'auto' },
  store: false,
  stream: true,
  include: ['reasoning.encrypted_content'],
  prompt_cache_key: '6f1c-session',
};

describe('decoding a request', () => {
  test("a Codex turn: instructions first, the assistant's items one turn, tools flattened, hints dropped", () => {
    const { answerShape, ...request } = readResponsesRequest(codexTurn);
    assert.deepEqual(request, {
      model: 'gpt-5-codex',
      messages: [
        { role: 'system', content: 'You are Codex.' },
        { role: 'system', content: '<permissions>' },
        { role: 'user', content: 'List the files' },
        {
          role: 'assistant',
          content: [
            { type: 'reasoning', text: 'I should run ls.' },
            { type: 'text', text: 'Running ls.' },
            { type: 'tool-call', id: 'call_1', name: 'shell', arguments: '{"command":["ls"]}' },
          ],
        },
        { role: 'tool', content: [{ type: 'tool-result', callId: 'call_1', content: 'README.md\nsrc' }] },
      ],
      stream: true,
      includeUsage: true,
      tools: [
        {
          name: 'shell',
          description: 'Runs a command',
          parameters: { type: 'object', properties: { command: { type: 'array', items: { type: 'string' } } } },
        },
        { name: 'mcp__docs__search', description: 'Docs server', parameters: { type: 'object', properties: {} } },
      ],
      toolChoice: { type: 'auto' },
      parallelToolCalls: false,
      reasoning: { effort: 'medium' },
      thinking: true,
      dropped: ['include', 'prompt_cache_key', 'reasoning.summary', 'tools[1] (web_search)'],
    });
    assert.deepEqual((answerShape as ResponsesShape).names.get('mcp__docs__search'), {
      name: 'search',
      namespace: 'mcp__docs',
    });
  });

  test('a plain string input is one user turn', () => {
    const request = readResponsesRequest({ model: 'm', input: 'hi', max_output_tokens: 20 });
    assert.deepEqual(request.messages, [{ role: 'user', content: 'hi' }]);
    assert.equal(request.maxTokens, 20);
    assert.equal(request.stream, false);
  });

  const refusals: Array<[string, Record<string, unknown>, string, string]> = [
    ['store: true', { store: true }, 'store', 'store: false'],
    ['previous_response_id', { previous_response_id: 'resp_1' }, 'previous_response_id', 'stores no responses'],
    ['a live web search', { tools: [{ type: 'web_search' }] }, 'tools[0].type', 'web_search = "disabled"'],
    ['code interpreter', { tools: [{ type: 'code_interpreter' }] }, 'tools[0].type', 'code_interpreter'],
    ['an item reference', { input: [{ type: 'item_reference', id: 'msg_1' }] }, 'input[0]', 'does not hold'],
    ['a file input', { input: [{ role: 'user', content: [{ type: 'input_file' }] }] }, 'input[0].content[0]', 'file'],
    ['an unknown field', { frobnicate: 1 }, 'frobnicate', 'unrecognised'],
    ['a client-chosen upstream', { base_url: 'http://evil' }, 'base_url', 'cannot choose the upstream'],
  ];
  for (const [what, extra, param, words] of refusals) {
    test(`${what} is a 400 naming ${param}`, () => {
      assert.throws(
        () => readResponsesRequest({ model: 'm', input: 'hi', ...extra }),
        (err: unknown) =>
          err instanceof HttpError && err.status === 400 && err.param === param && err.message.includes(words),
      );
    });
  }
});

/** An answer with every kind of output: reasoning (signed), text, and two calls, one of them in a namespace. */
const result: ChatResult = {
  requestId: 'r1',
  text: 'Let me look.',
  toolCalls: [
    { id: 'toolu_1', name: 'shell', arguments: '{"command":["ls"]}' },
    { id: 'toolu_2', name: 'mcp__docs__search', arguments: '{"q":"x"}' },
  ],
  reasoning: 'Two tools.',
  model: 'claude-haiku-4-5',
  provider: 'anthropic',
  billing: 'paid',
  usage: { inputTokens: 100, outputTokens: 30, cacheReadTokens: 60, reasoningTokens: 5, estimated: false },
  finishReason: 'tool_calls',
  fallbacks: [],
};
result.parts = [
  { type: 'reasoning', text: 'Two tools.', signature: 'sig-9' },
  { type: 'text', text: 'Let me look.' },
  ...result.toolCalls.map((c) => ({ type: 'tool-call' as const, ...c })),
];

const events: AnswerEvent[] = [
  { type: 'reasoning-delta', text: 'Two ' },
  { type: 'reasoning-delta', text: 'tools.', signature: 'sig-9' },
  { type: 'text-delta', text: 'Let me ' },
  { type: 'text-delta', text: 'look.' },
  { type: 'tool-call-start', index: 0, id: 'toolu_1', name: 'shell' },
  { type: 'tool-call-start', index: 1, id: 'toolu_2', name: 'mcp__docs__search' },
  { type: 'tool-call-delta', index: 1, argumentsDelta: '{"q":' },
  { type: 'tool-call-delta', index: 0, argumentsDelta: '{"command":["ls"]}' },
  { type: 'tool-call-delta', index: 1, argumentsDelta: '"x"}' },
  { type: 'tool-call-end', index: 0 },
  { type: 'tool-call-end', index: 1 },
];

function streamed(request = readResponsesRequest({ ...codexTurn, stream: true })) {
  const encoder = responsesStream(request, meta);
  const text = [encoder.start(result.model), ...events.map((e) => encoder.event(e)), encoder.finish(result)].join('');
  return text
    .trim()
    .split('\n\n')
    .map((frame) => {
      const [eventLine, dataLine] = frame.split('\n');
      const data = JSON.parse(dataLine!.replace(/^data: /, ''));
      assert.equal(eventLine, `event: ${data.type}`, 'the SSE event name is the type');
      return data;
    });
}

describe('encoding an answer', () => {
  test('the stream ends in the response object the JSON answer is; its events are numbered from 0', () => {
    const request = readResponsesRequest(codexTurn);
    const frames = streamed(request);
    assert.deepEqual(
      frames.map((f) => f.sequence_number),
      frames.map((_, i) => i),
    );
    const last = frames.at(-1)!;
    assert.equal(last.type, 'response.completed');
    assert.deepEqual(
      last.response,
      responsesObject({ ...result, reasoning: 'Two tools.' }, meta, request.answerShape as ResponsesShape),
    );
  });

  test('interleaved calls: each argument delta names its own item, and each item is done whole', () => {
    const frames = streamed();
    const added = frames.filter((f) => f.type === 'response.output_item.added').map((f) => f.item.type);
    assert.deepEqual(added, ['reasoning', 'message', 'function_call', 'function_call']);
    const done = frames.filter((f) => f.type === 'response.function_call_arguments.done');
    assert.deepEqual(
      done.map((f) => [f.output_index, f.name, f.arguments]),
      [
        [2, 'shell', '{"command":["ls"]}'],
        [3, 'search', '{"q":"x"}'],
      ],
    );
    const deltas = frames.filter((f) => f.type === 'response.function_call_arguments.delta');
    assert.deepEqual(
      deltas.map((f) => f.output_index),
      [3, 2, 3],
    );
  });

  test("the JSON answer follows the result's parts in their order: text, a call, more text", () => {
    const shape = readResponsesRequest(codexTurn).answerShape as ResponsesShape;
    const answer = responsesObject(
      {
        ...result,
        parts: [
          { type: 'text', text: 'First ' },
          { type: 'text', text: 'this.' },
          { type: 'tool-call', id: 'call_x', name: 'mcp__docs__search', arguments: '{}' },
          { type: 'text', text: 'Then that.' },
        ],
      },
      meta,
      shape,
    );
    assert.deepEqual(
      (answer.output as Array<Record<string, any>>).map((item) => [item.type, item.content?.[0]?.text ?? item.name]),
      [
        ['message', 'First this.'],
        ['function_call', 'search'],
        ['message', 'Then that.'],
      ],
    );
  });

  test('usage with cached and reasoning tokens; a token limit is an incomplete response', () => {
    const request = readResponsesRequest({ model: 'm', input: 'hi' });
    const shape = request.answerShape as ResponsesShape;
    const whole = responsesObject(result, meta, shape);
    assert.deepEqual(whole.usage, {
      input_tokens: 100,
      input_tokens_details: { cached_tokens: 60 },
      output_tokens: 30,
      output_tokens_details: { reasoning_tokens: 5 },
      total_tokens: 130,
    });
    const cut = responsesObject({ ...result, toolCalls: [], finishReason: 'length' }, meta, shape);
    assert.equal(cut.status, 'incomplete');
    assert.deepEqual(cut.incomplete_details, { reason: 'max_output_tokens' });
  });

  test('round trip: the output items sent back as input are the assistant turn the answer was', () => {
    const request = readResponsesRequest(codexTurn);
    const answer = responsesObject(result, meta, request.answerShape as ResponsesShape);
    const next = readResponsesRequest({ ...codexTurn, input: [{ role: 'user', content: 'go' }, ...answer.output] });
    assert.deepEqual(next.messages.at(-1), {
      role: 'assistant',
      content: [
        { type: 'reasoning', text: 'Two tools.', signature: 'sig-9' },
        { type: 'text', text: 'Let me look.' },
        ...result.toolCalls.map((c) => ({ type: 'tool-call', ...c })),
      ],
    });
  });

  test('reasoning sent back as its sealed blob alone (content stripped) keeps its text and signature', () => {
    const request = readResponsesRequest(codexTurn);
    const answer = responsesObject(result, meta, request.answerShape as ResponsesShape);
    const { content: _shown, ...stripped } = answer.output[0] as Record<string, unknown>;
    const next = readResponsesRequest({ ...codexTurn, input: [{ role: 'user', content: 'go' }, stripped] });
    assert.deepEqual(next.messages.at(-1), {
      role: 'assistant',
      content: [{ type: 'reasoning', text: 'Two tools.', signature: 'sig-9' }],
    });
  });

  test('a failure after the first byte ends the stream with response.failed and its error', () => {
    const encoder = responsesStream(readResponsesRequest({ model: 'm', input: 'hi', stream: true }), meta);
    encoder.start('m');
    encoder.event({ type: 'text-delta', text: 'Hel' });
    const frame = encoder.error(new HttpError('upstream_failed', 'the answer was cut off', undefined, {}, 'cut'));
    const data = JSON.parse(frame.split('\n')[1]!.replace(/^data: /, ''));
    assert.equal(data.type, 'response.failed');
    assert.deepEqual(
      [data.response.status, data.response.error],
      ['failed', { code: 'cut', message: 'the answer was cut off' }],
    );
  });
});

describe('custom (free-text) tools, as Codex sends apply_patch to the models it knows', () => {
  const withPatch = {
    ...codexTurn,
    tools: [
      {
        type: 'custom',
        name: 'apply_patch',
        description: 'Edit files',
        format: { type: 'grammar', syntax: 'lark', definition: 'start: "*** Begin Patch" ...' },
      },
      { type: 'tool_search' },
    ],
  };
  const patch = '*** Begin Patch\n*** Add File: a.txt\n+hi\n*** End Patch';

  test('upstream, a function of one string with the grammar in its description; tool_search dropped', () => {
    const request = readResponsesRequest(withPatch);
    assert.deepEqual(request.tools, [
      {
        name: 'apply_patch',
        description: 'Edit files',
        parameters: {
          type: 'object',
          properties: {
            input: {
              type: 'string',
              description: 'The input must follow this lark grammar:\nstart: "*** Begin Patch" ...',
            },
          },
          required: ['input'],
          additionalProperties: false,
        },
      },
    ]);
    assert.ok(request.dropped?.includes('tools[1] (tool_search)'));
  });

  test('the call streams back as a custom_tool_call with the text, and goes upstream again as {input}', () => {
    const request = readResponsesRequest({ ...withPatch, stream: true });
    const encoder = responsesStream(request, meta);
    const out = [
      encoder.start('m'),
      encoder.event({ type: 'tool-call-start', index: 0, id: 'call_p', name: 'apply_patch' }),
      encoder.event({
        type: 'tool-call-delta',
        index: 0,
        argumentsDelta: JSON.stringify({ input: patch }).slice(0, 9),
      }),
      encoder.event({ type: 'tool-call-delta', index: 0, argumentsDelta: JSON.stringify({ input: patch }).slice(9) }),
      encoder.event({ type: 'tool-call-end', index: 0 }),
      encoder.finish({ ...result, text: '', reasoning: undefined, toolCalls: [] }),
    ].join('');
    const frames = out
      .trim()
      .split('\n\n')
      .map((f) => JSON.parse(f.split('\n')[1]!.replace(/^data: /, '')));
    assert.ok(!frames.some((f) => f.type.startsWith('response.function_call_arguments')), 'no function events');
    assert.deepEqual(
      frames.filter((f) => f.type.startsWith('response.custom_tool_call_input')).map((f) => f.delta ?? f.input),
      [patch, patch],
    );
    const item = frames.at(-1).response.output[0];
    assert.deepEqual(
      [item.type, item.call_id, item.name, item.input],
      ['custom_tool_call', 'call_p', 'apply_patch', patch],
    );
    const next = readResponsesRequest({
      ...withPatch,
      input: [item, { type: 'custom_tool_call_output', call_id: 'call_p', output: 'Done' }],
    });
    assert.deepEqual(next.messages.slice(-2), [
      {
        role: 'assistant',
        content: [
          { type: 'tool-call', id: 'call_p', name: 'apply_patch', arguments: JSON.stringify({ input: patch }) },
        ],
      },
      { role: 'tool', content: [{ type: 'tool-result', callId: 'call_p', content: 'Done' }] },
    ]);
  });
});

describe('item references (the AI SDK leaves store at its default and sends them)', () => {
  test("an answer's items resolve by id in the next request, unless that answer was asked with store: false", () => {
    const shapeOf = (body: Record<string, unknown>) =>
      readResponsesRequest({ model: 'm', input: 'hi', ...body }).answerShape as ResponsesShape;
    const held = responsesObject(result, { ...meta, id: 'aaaa-held' }, shapeOf({}));
    const notHeld = responsesObject(result, { ...meta, id: 'bbbb-not-held' }, shapeOf({ store: false }));
    const [, message] = held.output as Array<{ id: string }>;
    const next = readResponsesRequest({
      model: 'm',
      input: [
        { role: 'user', content: 'go' },
        { type: 'item_reference', id: message!.id },
      ],
    });
    assert.deepEqual(next.messages.at(-1), { role: 'assistant', content: 'Let me look.' });
    const missing = (notHeld.output as Array<{ id: string }>)[1]!.id;
    assert.throws(
      () => readResponsesRequest({ model: 'm', input: [{ type: 'item_reference', id: missing }] }),
      (err: unknown) => err instanceof HttpError && err.param === 'input[0]' && /store = false/.test(err.message),
    );
  });

  test('the memory is bounded by count, by bytes and by age', () => {
    let now = 0;
    const memory = new ItemMemory({ maxItems: 2, maxBytes: 200, ttlMs: 1000 }, () => now);
    memory.remember([{ id: 'a' }, { id: 'b' }, { id: 'c' }]);
    assert.deepEqual(
      ['a', 'b', 'c'].map((id) => memory.recall(id) !== undefined),
      [false, true, true],
      'the oldest goes first',
    );
    const byBytes = new ItemMemory({ maxItems: 10, maxBytes: 200, ttlMs: 1000 }, () => now);
    byBytes.remember([{ id: 'small' }, { id: 'big1', text: 'x'.repeat(120) }]);
    byBytes.remember([{ id: 'big2', text: 'x'.repeat(120) }]);
    assert.deepEqual(
      ['small', 'big1', 'big2'].map((id) => byBytes.recall(id) !== undefined),
      [false, false, true],
      'bytes over the bound push out the oldest',
    );
    now = 1001;
    assert.equal(memory.recall('c'), undefined, 'an hour (here a second) later, gone');
  });
});
