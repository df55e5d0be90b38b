// The Vercel AI SDK's default OpenAI model — `createOpenAI({baseURL})(model)`, which speaks the Responses API —
// through the real `llm-gateway serve`, answered by an OpenAI-compatible and by an Anthropic fake upstream: text,
// a stream, a tool loop whose first step says something before its call (the SDK sends that text back as an
// `item_reference`), and structured output.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createOpenAI } from '@ai-sdk/openai';
import { generateText, Output, stepCountIs, streamText, tool } from 'ai';
import { z } from 'zod';
import { usageRows } from '../helpers/chat-e2e.ts';
import { startServe, type Served } from '../helpers/serve.ts';

describe('the AI SDK default OpenAI model through serve', () => {
  let s: Served;
  before(async () => {
    s = await startServe({ keys: ['groq', 'anthropic'], args: ['--allow-paid'] });
  });
  after(async () => {
    assert.equal(await s.stop(), 0);
  });
  const model = (id: string) => createOpenAI({ baseURL: `${s.url}/v1`, apiKey: s.key })(id);
  const last = () => s.fake.requests.filter((r) => r.format).at(-1)!;

  for (const [upstream, id, format] of [
    ['an OpenAI-compatible', 'llama', 'openai'],
    ['an Anthropic', 'haiku', 'anthropic'],
  ] as const) {
    test(`text and a stream, answered by ${upstream} model`, async () => {
      s.fake.script({ text: ['Hello', ' there'], usage: { input: 12, output: 2 } });
      const whole = await generateText({ model: model(id), prompt: 'hi' });
      assert.equal(whole.text, 'Hello there');
      assert.equal(last().format, format);
      assert.deepEqual([whole.usage.inputTokens, whole.usage.outputTokens], [12, 2]);
      const row = usageRows(s.home).at(-1)!;
      assert.deepEqual([row.input_tokens, row.output_tokens], [12, 2], 'the ledger has the call');

      s.fake.script({ text: ['Str', 'eamed'] });
      const errors: unknown[] = [];
      const stream = streamText({ model: model(id), prompt: 'hi', onError: (e) => void errors.push(e) });
      let text = '';
      for await (const delta of stream.textStream) text += delta;
      assert.deepEqual([text, errors], ['Streamed', []]);
    });

    test(`a tool loop whose first step speaks before calling, answered by ${upstream} model`, async () => {
      s.fake.script({
        text: ['Let me check.'],
        toolCalls: [{ id: 'call_ai1', name: 'weather', arguments: ['{"city":', '"Paris"}'] }],
      });
      s.fake.script({ text: ['It is 14 °C in Paris.'] });
      const run = await generateText({
        model: model(id),
        prompt: 'Weather in Paris?',
        tools: {
          weather: tool({
            description: 'Current temperature in a city',
            inputSchema: z.object({ city: z.string() }),
            execute: async ({ city }) => `14 °C in ${city}`,
          }),
        },
        stopWhen: stepCountIs(3),
      });
      assert.equal(run.text, 'It is 14 °C in Paris.');
      assert.equal(run.steps.length, 2);
      const sent = JSON.stringify(last().body);
      assert.match(sent, /Let me check\./, 'the first step’s text went back upstream (from its item reference)');
      assert.match(sent, /call_ai1/);
      assert.match(sent, /14 °C in Paris/);
    });

    test(`structured output, answered by ${upstream} model`, async () => {
      s.fake.script({ text: ['{"city":"Paris",', '"celsius":14}'] });
      const run = await generateText({
        model: model(id),
        prompt: 'Weather in Paris as JSON',
        output: Output.object({ schema: z.object({ city: z.string(), celsius: z.number() }) }),
      });
      assert.deepEqual(run.output, { city: 'Paris', celsius: 14 });
      assert.match(JSON.stringify(last().body), /"celsius"/, 'the schema went upstream');
    });
  }
});
