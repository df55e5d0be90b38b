// LangChain JS, the real one (the pinned @langchain/openai, @langchain/anthropic, @langchain/core), pointed at
// `serve` as README says: ChatOpenAI and ChatAnthropic each answer text, a stream, a tool loop and structured
// output, whichever upstream protocol answers them.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { answerJson, toolLoop } from '../fake-upstream/index.ts';
import { startServe, type Served } from '../helpers/serve.ts';
import { notInstalled, requireClient, usageByModel, versionOf } from './clients.ts';

const VERSIONS = ['@langchain/core', '@langchain/openai', '@langchain/anthropic']
  .map((p) => `${p} ${versionOf(p)}`)
  .join(', ');

// One server per upstream wire, as in ai-sdk.test.ts.
const UPSTREAMS = [
  { wire: 'openai', keys: ['groq'] as const, args: [], model: 'llama-3.1-8b-instant' },
  { wire: 'anthropic', keys: ['anthropic'] as const, args: ['--allow-paid'], model: 'claude-sonnet-4-5' },
];

for (const upstream of UPSTREAMS) {
  describe(`LangChain JS (${VERSIONS}) through serve, answered on the ${upstream.wire} wire`, {
    skip: notInstalled,
  }, () => {
    let s: Served;
    let z: any;
    let lc: { messages: any; tools: any };
    const models: Record<string, () => any> = {};
    before(async () => {
      s = await startServe({ keys: [...upstream.keys], args: upstream.args });
      z = requireClient('zod');
      lc = { messages: requireClient('@langchain/core/messages'), tools: requireClient('@langchain/core/tools') };
      const { ChatOpenAI } = requireClient('@langchain/openai');
      const { ChatAnthropic } = requireClient('@langchain/anthropic');
      models.ChatOpenAI = () =>
        new ChatOpenAI({ model: upstream.model, apiKey: s.key, configuration: { baseURL: `${s.url}/v1` } });
      models.ChatAnthropic = () => new ChatAnthropic({ model: upstream.model, apiKey: s.key, anthropicApiUrl: s.url });
    });
    after(async () => {
      assert.equal(await s.stop(), 0);
    });

    for (const name of ['ChatOpenAI', 'ChatAnthropic']) {
      describe(name, () => {
        test('invoke answers', async () => {
          s.fake.respondWith(() => ({ text: ['Hello ', 'from serve'] }));
          const r = await models[name]!().invoke('say hi');
          assert.equal(r.text, 'Hello from serve');
          assert.ok(r.usage_metadata.input_tokens > 0, JSON.stringify(r.usage_metadata));
          assert.equal(s.fake.requests.at(-1)!.format, upstream.wire);
        });

        test('stream yields the pieces', async () => {
          s.fake.respondWith(() => ({ text: ['one ', 'two ', 'three'] }));
          const pieces: string[] = [];
          for await (const chunk of await models[name]!().stream('count')) if (chunk.text) pieces.push(chunk.text);
          assert.equal(pieces.join(''), 'one two three');
          assert.ok(pieces.length >= 3, `arrived in pieces: ${JSON.stringify(pieces)}`);
        });

        test('a tool loop: bindTools, the tool runs, its ToolMessage goes back', async () => {
          s.fake.respondWith(
            toolLoop([[{ name: 'weather', input: { city: 'Paris' } }]], (results) => ({
              text: [`The tool said ${results[0]}`],
            })),
          );
          const weather = lc.tools.tool(async ({ city }: { city: string }) => JSON.stringify({ city, celsius: 21 }), {
            name: 'weather',
            description: 'The weather in a city',
            schema: z.object({ city: z.string() }),
          });
          const model = models[name]!().bindTools([weather]);
          const conversation: unknown[] = [new lc.messages.HumanMessage('weather in Paris?')];
          const first = await model.invoke(conversation);
          assert.deepEqual(
            first.tool_calls.map((c: { name: string; args: unknown }) => [c.name, c.args]),
            [['weather', { city: 'Paris' }]],
          );
          conversation.push(first, ...(await Promise.all(first.tool_calls.map((c: unknown) => weather.invoke(c)))));
          const second = await model.invoke(conversation);
          assert.equal(second.text, 'The tool said {"city":"Paris","celsius":21}');
        });

        test('withStructuredOutput returns the object', async () => {
          s.fake.respondWith(answerJson({ city: 'Paris', population: 2102650 }));
          const schema = z.object({ city: z.string(), population: z.number().int() });
          const r = await models[name]!().withStructuredOutput(schema).invoke('a city');
          assert.deepEqual(r, { city: 'Paris', population: 2102650 });
        });
      });
    }

    test('the ledger holds every call', async () => {
      const usage = [...(await usageByModel(s)).values()];
      const calls = usage.reduce((n, g) => n + g.calls, 0);
      assert.equal(calls, s.fake.requests.filter((r) => r.format).length);
      assert.ok(
        usage.every((g) => g.inputTokens > 0),
        JSON.stringify(usage),
      );
    });
  });
}
