// Tool-call ids sent to Anthropic: valid ones untouched, others mapped the same way every time (the tool_use and
// the tool_result that answers it must agree, whichever process sends them), and distinct ids stay distinct.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { anthropicToolId } from '../../src/core/tool-ids.ts';

test('a valid id passes unchanged', () => {
  for (const id of ['toolu_01A09q90qw90lq917835lq9', 'call_abc-123']) assert.equal(anthropicToolId(id), id);
});

test("Kimi's ids become valid, deterministically, and distinct ids stay distinct", () => {
  const kimi = 'functions.get_weather:0';
  const mapped = anthropicToolId(kimi);
  assert.match(mapped, /^[a-zA-Z0-9_-]+$/);
  assert.equal(anthropicToolId(kimi), mapped);
  assert.ok(mapped.startsWith('functions_get_weather_0_'));
  assert.notEqual(anthropicToolId('functions.get_weather:1'), mapped);
  assert.notEqual(anthropicToolId('functions:get_weather.0'), mapped);
  assert.notEqual(anthropicToolId('functions_get_weather_0'), mapped);
  assert.match(anthropicToolId('é'), /^[a-zA-Z0-9_-]+$/);
});
