// `chat -a, --attach`, end to end: the built binary against the fake upstream. A text file reaches the provider
// appended to the prompt between markers naming it; a bad attachment ends the run with exit 2 and the fix before
// anything is sent; an image reaches it as an image part.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ChatE2E, lastMessages, type Scenario } from '../helpers/chat-e2e.ts';
import { PNG_1X1 } from '../fixtures/images.ts';

const e2e = new ChatE2E();
after(() => {
  e2e.assertNoCanaries();
  return e2e.close();
});

const dir = mkdtempSync(join(tmpdir(), 'llmgw-attach-e2e-'));
const file = (name: string, bytes: string | Buffer) => {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
};

test('text files are appended to the prompt (after stdin), each between markers naming it, in the order given', async () => {
  const s = await e2e.scenario({ keys: ['groq'] });
  const notes = file('notes.md', '# Meeting\n- ship it\n');
  const todo = file('todo.txt', 'write tests');
  const r = await s.run(['chat', '-a', notes, '--attach', todo, 'summarise'], { input: 'from stdin\n' });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'Hello, world\n');
  assert.deepEqual(lastMessages(s.fake), [
    {
      role: 'user',
      content: `summarise\n\nfrom stdin\n\n\n<file name="${notes}">\n# Meeting\n- ship it\n</file>\n\n<file name="${todo}">\nwrite tests\n</file>`,
    },
  ]);
});

test('a text attachment alone is the prompt, and is stored with the conversation', async () => {
  const s = await e2e.scenario({ keys: ['groq'], steps: [{ text: ['Noted.'] }, { text: ['Yes.'] }] });
  const notes = file('alone.txt', 'the material');
  const first = await s.run(['chat', '--cid', 'att', '-a', notes]);
  assert.equal(first.code, 0, first.stderr);
  const second = await s.run(['chat', '--cid', 'att', 'anything else?']);
  assert.equal(second.code, 0, second.stderr);
  assert.deepEqual(lastMessages(s.fake), [
    { role: 'user', content: `<file name="${notes}">\nthe material\n</file>` },
    { role: 'assistant', content: 'Noted.' },
    { role: 'user', content: 'anything else?' },
  ]);
});

test('bad attachments exit 2 with what is wrong and the fix; nothing is sent', async () => {
  const s = await e2e.scenario({ keys: ['groq'] });
  const cases: Array<[string, RegExp]> = [
    [join(dir, 'nope.png'), /error: --attach .*nope\.png: no such file\nhint: check the path/],
    [dir, /error: --attach .*: is a directory\nhint: attach files one by one/],
    [
      file('a.out', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0])),
      /neither an image \(PNG, JPEG, WebP, GIF\) nor a text file .*; nothing was sent\nhint: attach images and UTF-8 text only/,
    ],
    [
      file('gbk.txt', Buffer.from([0xc4, 0xe3, 0xba, 0xc3, 0x0a])),
      /not an image and not valid UTF-8 text; nothing was sent\nhint: convert it to UTF-8 first/,
    ],
    ['https://exa mple.com/cat.png', /--attach https:\/\/exa mple\.com\/cat\.png: not a valid URL/],
  ];
  for (const [spec, expected] of cases) {
    const r = await s.run(['chat', '-a', spec, 'describe it']);
    assert.equal(r.code, 2, `${spec}: ${r.stderr}`);
    assert.match(r.stderr, expected);
    assert.equal(r.stdout, '');
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  }
  const json = await s.run(['chat', '--json', '-a', join(dir, 'nope.png'), 'describe it']);
  assert.equal(json.code, 2);
  assert.deepEqual(JSON.parse(json.stdout), {
    text: null,
    error: `--attach ${join(dir, 'nope.png')}: no such file`,
    exitCode: 2,
  });
  assert.equal(s.fake.requests.length, 0);
});

/** A vision model the fake answers for: OpenAI's gpt-4.1-mini (paid, so --allow-paid), its key a test value. */
const VISION = ['-m', 'openai:gpt-4.1-mini', '--allow-paid'];
const openai = (s: Scenario) => ({
  env: { OPENAI_API_KEY: 'sk-test-openai-vision', OPENAI_BASE_URL: s.fake.openaiBaseUrl },
});
const PNG_DATA_URL = `data:image/png;base64,${PNG_1X1.toString('base64')}`;

test('a PNG file and an image URL reach the provider as image parts before the text; the estimate counts each image', async () => {
  const s = await e2e.scenario({ keys: [] });
  const png = file('shot.dat', PNG_1X1); // the name says nothing: the bytes do
  const r = await s.run(
    ['chat', ...VISION, '-a', png, '-a', 'https://example.com/cat.jpg', 'what differs?'],
    openai(s),
  );
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(lastMessages(s.fake), [
    {
      role: 'user',
      content: [
        { type: 'image_url', image_url: { url: PNG_DATA_URL } },
        { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg' } },
        { type: 'text', text: 'what differs?' },
      ],
    },
  ]);
  const plan = JSON.parse(
    (await s.run(['chat', ...VISION, '--explain', '--json', '-a', png, '-a', png, 'what differs?'], openai(s))).stdout,
  );
  assert.ok(plan.inputTokens >= 3_200, `two images count 1,600 tokens each: ${plan.inputTokens}`);
});

test('an image attached in a conversation is sent again when it is continued (--cid)', async () => {
  const s = await e2e.scenario({ keys: [], steps: [{ text: ['A cat.'] }, { text: ['Grey.'] }] });
  const png = file('cat.png', PNG_1X1);
  const first = await s.run(['chat', ...VISION, '--cid', 'pics', '-a', png, 'what is it?'], openai(s));
  assert.equal(first.code, 0, first.stderr);
  const second = await s.run(['chat', ...VISION, '--cid', 'pics', 'what colour?'], openai(s));
  assert.equal(second.code, 0, second.stderr);
  assert.deepEqual(lastMessages(s.fake), [
    {
      role: 'user',
      content: [
        { type: 'image_url', image_url: { url: PNG_DATA_URL } },
        { type: 'text', text: 'what is it?' },
      ],
    },
    { role: 'assistant', content: 'A cat.' },
    { role: 'user', content: 'what colour?' },
  ]);
});

test('an image skips text-only deployments with the reason in --explain; with no vision model keyed it says which to use and sends nothing', async () => {
  const s = await e2e.scenario(); // the three free tiers: all text-only
  const png = file('screen.png', PNG_1X1);
  const plan = await s.run(['chat', '--explain', '-a', png, 'what does it say?']);
  // 4: the vision models left (OpenAI, Anthropic) have no key here; a key is what the user can act on.
  assert.equal(plan.code, 4, plan.stderr);
  assert.match(plan.stdout, /no candidate: nothing would be called/);
  for (const model of [
    'Qwen2.5-7B-Instruct \\(siliconflow\\)',
    'llama-3.1-8b-instant \\(groq\\)',
    'moonshot-v1-8k \\(moonshot\\)',
  ]) {
    assert.match(plan.stdout, new RegExp(`- ${model}: missing_capability, lacks vision`));
  }
  const text = await s.run(['chat', '--explain', 'what does it say?']);
  assert.doesNotMatch(text.stdout, /missing_capability/, 'without the image they are candidates');
  const call = await s.run(['chat', '-a', png, 'what does it say?']);
  assert.equal(call.code, 4, call.stderr);
  assert.match(call.stderr, /llama-3\.1-8b-instant \(groq\): lacks vision/);
  assert.match(
    call.stderr,
    /hint: use a model that has vision \(`llm-gateway models -c vision`\), with -m or --allow-paid; add a key/,
  );
  assert.doesNotMatch(call.stderr, /shorten the input/, 'the image is not too long: it needs another model');
  assert.equal(s.fake.requests.length, 0);
});
