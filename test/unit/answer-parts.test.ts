// The answer as ordered parts (issue 16.2): reasoning with its signature, text and tool calls in the order they
// arrived, as the assistant turn a client sends back — and what an Anthropic client gets from it.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AnswerSoFar, type AnswerPiece } from '../../src/core/answer-so-far.ts';
import type { Candidate } from '../../src/core/types.ts';
import { anthropicMessage } from '../../src/protocols/anthropic-messages/answer-encode.ts';

const candidate = { model: { id: 'm' }, provider: { id: 'p' }, billing: 'paid' } as unknown as Candidate;
const from = { candidate, requestId: 'r', fallbacks: [] };
const usage = { inputTokens: 10, outputTokens: 20, estimated: false };

function answer(pieces: AnswerPiece[], keepText?: number) {
  const so = new AnswerSoFar(keepText, 10);
  for (const p of pieces) so.take(p);
  return so;
}

const pieces: AnswerPiece[] = [
  { type: 'reasoning-delta', text: 'Need the ' },
  { type: 'reasoning-delta', text: 'weather.' },
  { type: 'reasoning-delta', text: '', signature: 'sig-1' },
  { type: 'text-delta', text: 'Let me ' },
  { type: 'text-delta', text: 'check.' },
  { type: 'tool-call-start', index: 0, id: 'toolu_1', name: 'get_weather' },
  { type: 'tool-call-delta', index: 0, argumentsDelta: '{"city":"Paris"}' },
  { type: 'tool-call-end', index: 0 },
  { type: 'text-delta', text: 'Done.' },
];

describe('the answer as ordered parts', () => {
  test('runs in arrival order, the signature on its reasoning; text stays a view for the CLI', () => {
    const result = answer(pieces).finished(from, usage, 'tool_calls', undefined);
    assert.deepEqual(result.parts, [
      { type: 'reasoning', text: 'Need the weather.', signature: 'sig-1' },
      { type: 'text', text: 'Let me check.' },
      { type: 'tool-call', id: 'toolu_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
      { type: 'text', text: 'Done.' },
    ]);
    assert.equal(result.text, 'Let me check.Done.');
  });

  test('keepText bounds the parts too, and a call cut mid-arguments leaves no part', () => {
    const cut = answer([...pieces.slice(3, 7)], 4).cut(from, usage, undefined);
    assert.deepEqual(cut.parts, [{ type: 'text', text: 'Let ' }]);
    assert.equal(cut.textOmittedBytes, 9);
  });

  test('an Anthropic client gets the blocks in that order, the thinking signed', () => {
    const result = answer(pieces).finished(from, usage, 'tool_calls', undefined);
    assert.deepEqual(anthropicMessage(result, { id: 'x', created: 0, inputEstimate: 0 }).content, [
      { type: 'thinking', thinking: 'Need the weather.', signature: 'sig-1' },
      { type: 'text', text: 'Let me check.' },
      { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
      { type: 'text', text: 'Done.' },
    ]);
  });
});
