// Codex CLI, the real one (the pinned @openai/codex), run as `codex exec` with README's config.toml: a provider
// at `serve` speaking the Responses API (the only wire Codex has). Answered by an OpenAI-protocol and by an
// Anthropic-protocol upstream; the tests check what Codex prints, what reached the upstream, and the ledger.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { answerJson, toolLoop } from '../fake-upstream/index.ts';
import { startServe, type Served } from '../helpers/serve.ts';
import { clientBin, clientEnv, clientHome, notInstalled, runClient, usageByModel, versionOf } from './clients.ts';

const VERSION = versionOf('@openai/codex');

// Codex's prompt (~13K tokens) is over a free model's per-minute window, so a paid model answers: Groq's larger
// llama on the OpenAI wire, Claude on Anthropic's.
const UPSTREAMS = [
  { wire: 'openai', keys: ['groq'] as const, model: 'llama-3.3-70b-versatile' },
  { wire: 'anthropic', keys: ['anthropic'] as const, model: 'claude-sonnet-4-5' },
];

/**
 * README's config.toml for Codex, pointed at `url`: update checks, analytics and the plugin marketplace (which
 * fetches from api.github.com and chatgpt.com on every start) off, so Codex talks to loopback only.
 */
function codexConfig(url: string, model: string): string {
  return `model = "${model}"
model_provider = "llm-gateway"
check_for_update_on_startup = false

[features]
plugins = false

[analytics]
enabled = false

[model_providers.llm-gateway]
name = "llm-gateway"
base_url = "${url}/v1"
env_key = "LLM_GATEWAY_KEY"
wire_api = "responses"
`;
}

for (const upstream of UPSTREAMS) {
  describe(`Codex ${VERSION} (codex exec) through serve, answered on the ${upstream.wire} wire`, {
    skip: notInstalled,
  }, () => {
    let s: Served;
    before(async () => {
      s = await startServe({ keys: [...upstream.keys], args: ['--allow-paid'] });
    });
    after(async () => {
      assert.equal(await s.stop(), 0);
    });

    async function codex(args: string[]) {
      const home = clientHome();
      const codexHome = join(home, '.codex');
      mkdirSync(codexHome);
      writeFileSync(join(codexHome, 'config.toml'), codexConfig(s.url, upstream.model));
      const env = clientEnv(home, { CODEX_HOME: codexHome, LLM_GATEWAY_KEY: s.key });
      const last = join(home, 'last-message.txt');
      const run = await runClient(
        clientBin('codex'),
        ['exec', '--skip-git-repo-check', '--output-last-message', last, ...args],
        { env, cwd: home },
      );
      assert.equal(run.code, 0, `codex exec ${args.join(' ')} exited ${run.code}:\n${run.stdout}\n${run.stderr}`);
      return { ...run, last: readFileSync(last, 'utf8'), home };
    }

    test('text, streamed: codex exec prints the answer', async () => {
      s.fake.respondWith(() => ({ text: ['Hello ', 'from ', 'serve'] }));
      const run = await codex(['say hi']);
      assert.equal(run.last, 'Hello from serve');
      assert.match(run.stdout, /Hello from serve/);
      const sent = s.fake.requests.at(-1)!;
      assert.equal(sent.format, upstream.wire);
      assert.equal(sent.stream, true, 'Codex streams, and serve streams from the upstream');
    });

    test('a tool loop: the model runs a shell command and reads its output', async () => {
      s.fake.respondWith(
        toolLoop([[{ name: 'exec_command', input: { cmd: 'echo $((6 * 7))', yield_time_ms: 1000 } }]], (results) => ({
          text: [`The command printed ${/Output:\s*(\S+)/.exec(results[0] ?? '')?.[1]}`],
        })),
      );
      const run = await codex(['multiply']);
      assert.equal(run.last, 'The command printed 42');
    });

    test('--output-schema: the last message is the JSON the schema asks for', async () => {
      s.fake.respondWith(answerJson({ city: 'Paris', population: 2102650 }));
      const home = clientHome();
      const schema = join(home, 'schema.json');
      writeFileSync(
        schema,
        JSON.stringify({
          type: 'object',
          properties: { city: { type: 'string' }, population: { type: 'integer' } },
          required: ['city', 'population'],
          additionalProperties: false,
        }),
      );
      const run = await codex(['--output-schema', schema, 'a city']);
      assert.deepEqual(JSON.parse(run.last), { city: 'Paris', population: 2102650 });
      assert.match(JSON.stringify(s.fake.requests.at(-1)!.body), /"population"/, 'the schema reached the upstream');
    });

    test('the ledger holds every call', async () => {
      const usage = [...(await usageByModel(s)).values()];
      assert.equal(
        usage.reduce((n, g) => n + g.calls, 0),
        s.fake.requests.filter((r) => r.format).length,
      );
      assert.ok(
        usage.every((g) => g.inputTokens > 0 && g.outputTokens > 0),
        JSON.stringify(usage),
      );
    });
  });
}
