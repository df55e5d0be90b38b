// Claude Code, the real one (the pinned @anthropic-ai/claude-code), run as a user would with only the two variables
// README gives: ANTHROPIC_BASE_URL at `serve` and the server key. The upstream is the fake Anthropic API; the
// tests check what Claude Code prints, what reached the upstream, and what the ledger recorded.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { toolLoop } from '../fake-upstream/index.ts';
import { KEYS } from '../helpers/chat-e2e.ts';
import { rawRequest, startServe, type Served } from '../helpers/serve.ts';
import { clientBin, clientEnv, clientHome, notInstalled, runClient, usageByModel, versionOf } from './clients.ts';

const VERSION = versionOf('@anthropic-ai/claude-code');

// Claude models are paid: an operator who keys Anthropic lets serve use them. Without Anthropic, Claude ids take
// their family's route: here Kimi or Groq's larger llama (paid too: Claude Code's prompt is over a free window),
// their answer budget clamped to the 128K context (answer-clamp.ts).
const UPSTREAMS = [
  { wire: 'anthropic', keys: ['anthropic'] as const },
  { wire: 'openai', keys: ['groq', 'moonshot'] as const },
];

for (const upstream of UPSTREAMS) {
  describe(`Claude Code ${VERSION} through serve, answered on the ${upstream.wire} wire`, {
    skip: notInstalled,
  }, () => {
    let s: Served;
    before(async () => {
      s = await startServe({ keys: [...upstream.keys], args: ['--allow-paid'] });
    });
    after(async () => {
      assert.equal(await s.stop(), 0);
    });

    /** `claude` with README's environment, telemetry, update checks and other traffic off, in a fresh home. */
    async function claude(args: string[], home = clientHome(), baseUrl = s.url) {
      const env = clientEnv(home, {
        ANTHROPIC_BASE_URL: baseUrl,
        ANTHROPIC_API_KEY: s.key,
        CLAUDE_CONFIG_DIR: join(home, '.claude'),
        DISABLE_TELEMETRY: '1',
        DISABLE_AUTOUPDATER: '1',
        DISABLE_ERROR_REPORTING: '1',
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
        // A refused request fails the test at once instead of after Claude Code's backoff (10 retries, minutes).
        CLAUDE_CODE_MAX_RETRIES: '0',
      });
      const run = await runClient(clientBin('claude'), args, { env, cwd: home });
      assert.equal(run.code, 0, `claude ${args.join(' ')} exited ${run.code}:\n${run.stdout}\n${run.stderr}`);
      return { ...run, home };
    }

    /** The chat requests serve sent upstream (not those of a run pointed straight at the fake, with serve's key). */
    const messages = () => s.fake.requests.filter((r) => r.format && r.xApiKey !== s.key);

    test("with no --model and no settings, -p prints the answer, sent on the upstream's wire", async () => {
      s.fake.respondWith(() => ({ text: ['The gateway ', 'answered.'] }));
      const earlier = messages().length;
      const run = await claude(['-p', 'say hi']);
      assert.equal(run.stdout.trim(), 'The gateway answered.');
      const sent = messages().slice(earlier);
      assert.ok(sent.length >= 1);
      assert.equal(sent[0]!.format, upstream.wire);
    });

    const anthropicOnly = { skip: upstream.wire !== 'anthropic' && 'cache_control is for an Anthropic upstream' };
    test(
      'cache_control reaches Anthropic where Claude Code put it, turn after turn; cache reads reach the ledger',
      anthropicOnly,
      async () => {
        const home = clientHome();
        s.fake.respondWith(
          toolLoop([[{ name: 'Bash', input: { command: 'echo cached', description: 'Echo' } }]], () => ({
            text: ['done'],
            usage: { input: 20, output: 1, cacheRead: 5000, cacheWrite: 10 },
          })),
        );
        const args = ['-p', 'run it', '--allowedTools', 'Bash'];
        // Straight at the upstream first: where Claude Code itself puts the marks on its second turn.
        await claude(args, home, s.fake.url);
        const direct = cacheMarks(s.fake.requests.at(-1)!.body);
        assert.ok(direct.length > 0, 'Claude Code marks its prompt for caching');
        await claude(args, home);
        const second = s.fake.requests.at(-1)!;
        assert.equal(second.xApiKey, KEYS.anthropic, 'this one came through serve');
        assert.deepEqual(cacheMarks(second.body), direct);
        const usage = [...(await usageByModel(s)).values()];
        assert.ok(usage.reduce((n, g) => n + g.cacheReadTokens, 0) >= 5000, JSON.stringify(usage));
      },
    );

    test('--model sonnet, opus, haiku, a catalog id and a scenario of ours each answer', async () => {
      const list = await rawRequest(s.url, { path: '/v1/models', headers: { authorization: `Bearer ${s.key}` } });
      const ids = JSON.parse(list.body).data.map((m: { id: string }) => m.id) as string[];
      const ours = ids.find((id) => id.startsWith('claude-'));
      assert.ok(ours, `serve lists a Claude model: ${ids.join(', ')}`);
      for (const model of ['sonnet', 'opus', 'haiku', ours, 'auto']) {
        s.fake.respondWith(() => ({ text: [`answered for ${model}`] }));
        const run = await claude(['-p', 'say hi', '--model', model]);
        assert.equal(run.stdout.trim(), `answered for ${model}`, `--model ${model}`);
      }
    });

    test('a streamed answer arrives in pieces (stream-json with partial messages)', async () => {
      s.fake.respondWith(() => ({ text: ['Streamed ', 'through ', 'serve'] }));
      const run = await claude([
        '-p',
        'say hi',
        '--output-format',
        'stream-json',
        '--verbose',
        '--include-partial-messages',
      ]);
      const events = run.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      const deltas = events
        .filter((e) => e.type === 'stream_event' && e.event?.delta?.type === 'text_delta')
        .map((e) => e.event.delta.text);
      assert.deepEqual(deltas, ['Streamed ', 'through ', 'serve']);
      assert.equal(events.at(-1).result, 'Streamed through serve');
      assert.equal(messages().at(-1)!.stream, true);
    });

    test('a tool loop: Read a file, run Bash, Edit the file, then answer with what the tools said', async () => {
      const home = clientHome();
      const file = join(home, 'notes.txt');
      writeFileSync(file, 'colour: red\n');
      s.fake.respondWith(
        toolLoop(
          [
            [{ name: 'Read', input: { file_path: file } }],
            [{ name: 'Bash', input: { command: 'echo $((6 * 7))', description: 'Multiply' } }],
            [{ name: 'Edit', input: { file_path: file, old_string: 'red', new_string: 'blue' } }],
          ],
          (results) => ({ text: [`tools said: ${results.length}`] }),
        ),
      );
      const run = await claude(['-p', 'use the tools', '--allowedTools', 'Read', 'Bash', 'Edit'], home);
      assert.equal(run.stdout.trim(), 'tools said: 3');
      assert.equal(readFileSync(file, 'utf8'), 'colour: blue\n', 'Edit changed the file');
      const last = JSON.stringify(messages().at(-1)!.body.messages);
      assert.match(last, /colour: red/, 'the Read result went back upstream');
      assert.match(last, /42/, "Bash's output went back upstream");
    });

    test('--json-schema: the answer is the structured output Claude Code asked for', async () => {
      s.fake.respondWith(
        toolLoop([[{ name: 'StructuredOutput', input: { city: 'Paris', population: 2102650 } }]], () => ({
          text: ['done'],
        })),
      );
      const schema = {
        type: 'object',
        properties: { city: { type: 'string' }, population: { type: 'integer' } },
        required: ['city', 'population'],
      };
      const run = await claude(['-p', 'a city', '--output-format', 'json', '--json-schema', JSON.stringify(schema)]);
      const result = JSON.parse(run.stdout);
      assert.equal(result.is_error, false);
      assert.deepEqual(result.structured_output, { city: 'Paris', population: 2102650 });
    });

    test('the ledger holds every call', async () => {
      const usage = [...(await usageByModel(s)).values()];
      const calls = usage.reduce((n, g) => n + g.calls, 0);
      assert.equal(calls, messages().length, 'one ledger call per request serve sent upstream');
      assert.ok(
        usage.every((g) => g.inputTokens > 0 && g.outputTokens > 0),
        JSON.stringify(usage),
      );
    });
  });
}

/** Each block Claude Code marked with cache_control: where it stands, its type and the start of its text or id. */
function cacheMarks(body: { system?: unknown; tools?: unknown; messages?: Array<{ role: string; content: unknown }> }) {
  const marks: string[] = [];
  const visit = (blocks: unknown, where: string) => {
    if (!Array.isArray(blocks)) return;
    for (const b of blocks as Array<Record<string, unknown>>) {
      if (b?.cache_control)
        marks.push(`${where} ${b.type} ${String(b.text ?? b.tool_use_id ?? b.name ?? '').slice(0, 40)}`);
    }
  };
  visit(body.system, 'system');
  visit(body.tools, 'tools');
  for (const m of body.messages ?? []) visit(m.content, m.role);
  return marks;
}
