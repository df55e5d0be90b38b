// The Vercel AI SDK, the real one (the pinned `ai`, `@ai-sdk/openai`, `@ai-sdk/anthropic`), pointed at `serve` as
// README says: each of its three ways in — createOpenAI's default (the Responses API), its `.chat()` (chat
// completions) and createAnthropic — answers text, a stream, a tool loop and an object, whichever upstream protocol
// answers it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { answerJson, toolLoop } from '../fake-upstream/index.ts';
import { startServe, type Served } from '../helpers/serve.ts';
import { notInstalled, requireClient, usageByModel, versionOf } from './clients.ts';

const VERSIONS = ['ai', '@ai-sdk/openai', '@ai-sdk/anthropic'].map((p) => `${p} ${versionOf(p)}`).join(', ');

// One server per upstream wire: Groq's free model answers on the OpenAI wire; Claude (paid, so allowed) on
// Anthropic's, asked for by the id a user of the SDK writes, which serve routes by family.
const UPSTREAMS = [
  { wire: 'openai', keys: ['groq'] as const, args: [], model: 'llama-3.1-8b-instant' },
  { wire: 'anthropic', keys: ['anthropic'] as const, args: ['--allow-paid'], model: 'claude-sonnet-4-5' },
];

for (const upstream of UPSTREAMS) {
  describe(`the AI SDK (${VERSIONS}) through serve, answered on the ${upstream.wire} wire`, {
    skip: notInstalled,
  }, () => {
    let s: Served;
    let ai: any;
    let z: any;
    let openai: any;
    let anthropic: any;
    before(async () => {
      s = await startServe({ keys: [...upstream.keys], args: upstream.args });
      ai = requireClient('ai');
      // Its warnings (a model id it does not know) go to the console: they are not what these tests check.
      Object.assign(globalThis, { AI_SDK_LOG_WARNINGS: false });
      z = requireClient('zod');
      openai = requireClient('@ai-sdk/openai').createOpenAI({ baseURL: `${s.url}/v1`, apiKey: s.key });
      anthropic = requireClient('@ai-sdk/anthropic').createAnthropic({ baseURL: `${s.url}/v1`, apiKey: s.key });
    });
    after(async () => {
      assert.equal(await s.stop(), 0);
    });

    const ways = [
      { name: 'createOpenAI(…)(model): the Responses API', model: () => openai(upstream.model) },
      { name: 'createOpenAI(…).chat(model)', model: () => openai.chat(upstream.model) },
      { name: 'createAnthropic(…)(model)', model: () => anthropic(upstream.model) },
    ];

    for (const way of ways) {
      describe(way.name, () => {
        const answeredOn = () => s.fake.requests.at(-1)!.format;
        test('generateText answers', async () => {
          s.fake.respondWith(() => ({ text: ['Hello ', 'from serve'] }));
          const r = await ai.generateText({ model: way.model(), prompt: 'say hi' });
          assert.equal(r.text, 'Hello from serve');
          assert.ok(r.usage.inputTokens > 0 && r.usage.outputTokens > 0, JSON.stringify(r.usage));
          assert.equal(answeredOn(), upstream.wire);
        });

        test('streamText streams the pieces', async () => {
          s.fake.respondWith(() => ({ text: ['one ', 'two ', 'three'] }));
          const r = ai.streamText({ model: way.model(), prompt: 'count' });
          const pieces: string[] = [];
          for await (const piece of r.textStream) pieces.push(piece);
          assert.equal(pieces.join(''), 'one two three');
          assert.ok(pieces.length >= 3, `arrived in pieces: ${JSON.stringify(pieces)}`);
        });

        test('a tool loop: the SDK runs the function tool and sends its result back', async () => {
          s.fake.respondWith(
            toolLoop([[{ name: 'weather', input: { city: 'Paris' } }]], (results) => ({
              text: [`The tool said ${results[0]}`],
            })),
          );
          const weather = ai.tool({
            description: 'The weather in a city',
            inputSchema: z.object({ city: z.string() }),
            execute: async ({ city }: { city: string }) => ({ city, celsius: 21 }),
          });
          const r = await ai.generateText({
            model: way.model(),
            prompt: 'weather in Paris?',
            tools: { weather },
            stopWhen: ai.stepCountIs(3),
          });
          assert.equal(r.steps.length, 2);
          assert.deepEqual(r.steps[0].toolCalls[0].input, { city: 'Paris' });
          assert.match(r.text, /^The tool said .*"celsius":21/);
        });

        test('generateObject returns the object the schema asks for', async () => {
          s.fake.respondWith(answerJson({ city: 'Paris', population: 2102650 }));
          const r = await ai.generateObject({
            model: way.model(),
            schema: z.object({ city: z.string(), population: z.number().int() }),
            prompt: 'a city',
          });
          assert.deepEqual(r.object, { city: 'Paris', population: 2102650 });
          const sent = JSON.stringify(s.fake.requests.at(-1)!.body);
          assert.match(sent, /"population"/, 'the schema reached the upstream');
        });
      });
    }

    test('the ledger holds every call', async () => {
      const usage = [...(await usageByModel(s)).values()];
      const calls = usage.reduce((n, g) => n + g.calls, 0);
      assert.equal(calls, s.fake.requests.filter((r) => r.format).length);
      assert.ok(
        usage.every((g) => g.inputTokens > 0 && g.outputTokens > 0),
        JSON.stringify(usage),
      );
    });
  });
}
