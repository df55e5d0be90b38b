// Streamed tool_calls deltas in the shapes compatible servers send, unit by unit (protocols/openai-chat/tool-call-decode.ts):
// each shape must give the same whole calls, since the client answers them by id.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChatEvent } from '../../src/core/types.ts';
import { OpenAiToolCalls } from '../../src/protocols/openai-chat/tool-call-decode.ts';

function whole(chunks: unknown[][]): Array<[string, string, string]> {
  const calls = new OpenAiToolCalls();
  const events: ChatEvent[] = [...chunks.flatMap((deltas) => calls.take(deltas)), ...calls.end()];
  const byIndex = new Map<number, [string, string, string]>();
  for (const e of events) {
    if (e.type === 'tool-call-start') byIndex.set(e.index, [e.id, e.name, '']);
    if (e.type === 'tool-call-delta') byIndex.get(e.index)![2] += e.argumentsDelta;
  }
  assert.equal(events.filter((e) => e.type === 'tool-call-end').length, byIndex.size, 'every call ends once');
  return [...byIndex.values()];
}

test("OpenAI's own shape: id and name first, fragments by index, parallel calls interleaved", () => {
  assert.deepEqual(
    whole([
      [{ index: 0, id: 'call_a', type: 'function', function: { name: 'f', arguments: '' } }],
      [{ index: 1, id: 'call_b', type: 'function', function: { name: 'g', arguments: '' } }],
      [{ index: 0, function: { arguments: '{"x":' } }],
      [{ index: 1, function: { arguments: '{"y":2}' } }],
      [{ index: 0, function: { arguments: '1}' } }],
    ]),
    [
      ['call_a', 'f', '{"x":1}'],
      ['call_b', 'g', '{"y":2}'],
    ],
  );
});

test('every call at index 0, each with its own id (a new id at a used index is a new call)', () => {
  assert.deepEqual(
    whole([
      [{ index: 0, id: 'c1', function: { name: 'f', arguments: '{"a":1}' } }],
      [{ index: 0, id: 'c2', function: { name: 'f', arguments: '{"a":2}' } }],
    ]),
    [
      ['c1', 'f', '{"a":1}'],
      ['c2', 'f', '{"a":2}'],
    ],
  );
});

test('arguments sent as an object are serialised once; a name that arrives after arguments still starts the call', () => {
  assert.deepEqual(whole([[{ index: 0, id: 'c1', function: { name: 'f', arguments: { a: 1 } } }]]), [
    ['c1', 'f', '{"a":1}'],
  ]);
  assert.deepEqual(
    whole([
      [{ index: 0, id: 'c1', function: { arguments: '{"a"' } }],
      [{ index: 0, function: { name: 'f', arguments: ':1}' } }],
    ]),
    [['c1', 'f', '{"a":1}']],
  );
});

test('no tool_calls, or junk in their place, makes no events', () => {
  assert.deepEqual(whole([[], [null, 'x', 3] as unknown[]]).length, 0);
  const calls = new OpenAiToolCalls();
  assert.deepEqual(calls.take(undefined), []);
  assert.equal(calls.count, 0);
});
