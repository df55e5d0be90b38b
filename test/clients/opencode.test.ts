// opencode, the real one (the pinned opencode-ai), run as `opencode run` with README's opencode.json: a provider at
// `serve` through the AI SDK package opencode bundles for each wire (@ai-sdk/openai-compatible, @ai-sdk/anthropic).
// `opencode run` has no structured-output option, so text, stream and the tool loop are what there is to check.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { toolLoop } from '../fake-upstream/index.ts';
import { startServe, type Served } from '../helpers/serve.ts';
import { clientBin, clientEnv, clientHome, notInstalled, runClient, usageByModel, versionOf } from './clients.ts';

const VERSION = versionOf('opencode-ai');

// opencode's prompt is over a free model's per-minute window, so a paid model answers, as for Codex.
const UPSTREAMS = [
  { wire: 'openai', keys: ['groq'] as const, npm: '@ai-sdk/openai-compatible', model: 'llama-3.3-70b-versatile' },
  { wire: 'anthropic', keys: ['anthropic'] as const, npm: '@ai-sdk/anthropic', model: 'claude-sonnet-4-5' },
];

/** README's opencode.json: one provider at serve, its key read from the environment, sharing and updates off. */
function opencodeConfig(url: string, npm: string, model: string) {
  return {
    $schema: 'https://opencode.ai/config.json',
    autoupdate: false,
    share: 'disabled',
    provider: {
      'llm-gateway': {
        npm,
        name: 'llm-gateway',
        options: { baseURL: `${url}/v1`, apiKey: '{env:LLM_GATEWAY_KEY}' },
        models: { [model]: {} },
      },
    },
    model: `llm-gateway/${model}`,
  };
}

for (const upstream of UPSTREAMS) {
  describe(`opencode ${VERSION} (opencode run) through serve, answered on the ${upstream.wire} wire`, {
    skip: notInstalled,
  }, () => {
    let s: Served;
    before(async () => {
      s = await startServe({ keys: [...upstream.keys], args: ['--allow-paid'] });
    });
    after(async () => {
      assert.equal(await s.stop(), 0);
    });

    async function opencode(args: string[], home = clientHome()) {
      writeFileSync(join(home, 'opencode.json'), JSON.stringify(opencodeConfig(s.url, upstream.npm, upstream.model)));
      const env = clientEnv(home, {
        LLM_GATEWAY_KEY: s.key,
        // No update check, no models.dev catalog fetch, no plugin or LSP download, no sharing: loopback only.
        OPENCODE_DISABLE_AUTOUPDATE: '1',
        OPENCODE_DISABLE_MODELS_FETCH: '1',
        OPENCODE_DISABLE_DEFAULT_PLUGINS: '1',
        OPENCODE_DISABLE_LSP_DOWNLOAD: '1',
        OPENCODE_DISABLE_SHARE: '1',
        // Nor does it read the developer's own Claude Code files.
        OPENCODE_DISABLE_CLAUDE_CODE: '1',
        OPENCODE_DISABLE_EXTERNAL_SKILLS: '1',
      });
      const run = await runClient(clientBin('opencode'), ['run', ...args], { env, cwd: home });
      assert.equal(run.code, 0, `opencode run ${args.join(' ')} exited ${run.code}:\n${run.stdout}\n${run.stderr}`);
      return run;
    }

    /** The text parts of `--format json`'s events, in order. */
    const textsOf = (stdout: string) =>
      stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l))
        .filter((e) => e.type === 'text')
        .map((e) => e.part.text as string);

    test('text, streamed: opencode run prints the answer', async () => {
      s.fake.respondWith(() => ({ text: ['Hello ', 'from ', 'serve'] }));
      const run = await opencode(['--format', 'json', 'say hi']);
      assert.deepEqual(textsOf(run.stdout), ['Hello from serve']);
      const sent = s.fake.requests.at(-1)!;
      assert.equal(sent.format, upstream.wire);
      assert.equal(sent.stream, true, 'opencode streams, and serve streams from the upstream');
    });

    test('a tool loop: the model runs bash, reads a file, and answers with what they said', async () => {
      const home = clientHome();
      const file = join(home, 'notes.txt');
      writeFileSync(file, 'colour: red\n');
      s.fake.respondWith(
        toolLoop(
          [
            [{ name: 'bash', input: { command: 'echo $((6 * 7))', description: 'Multiply' } }],
            [{ name: 'read', input: { filePath: file } }],
          ],
          (results) => ({ text: [`tools said: ${results.map((r) => r.trim()).join(' / ')}`] }),
          // Its side call (a title for the session) offers no tools: that one gets the default answer.
          (request) => Array.isArray(request.body?.tools) && request.body.tools.length > 0,
        ),
      );
      const run = await opencode(['--format', 'json', 'use the tools'], home);
      const answer = textsOf(run.stdout).at(-1) ?? '';
      assert.match(answer, /^tools said: 42 \/ .*colour: red/s);
      assert.equal(readFileSync(file, 'utf8'), 'colour: red\n');
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
