// An image request through the real binary (issue 11 point 3): `chat --explain` shows the text-only free models
// skipped with their reason, and the real call goes to a model that sees, with the image in Anthropic's shape.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { PNG_1X1 } from '../fixtures/images.ts';
import { ChatE2E } from '../helpers/chat-e2e.ts';

const e2e = new ChatE2E();
after(() => e2e.close());

const png = join(mkdtempSync(join(tmpdir(), 'llmgw-vision-')), 'dot.png');
writeFileSync(png, PNG_1X1);

test('an attached image skips text-only deployments with "lacks vision" in --explain, and is answered by one that sees', async () => {
  const s = await e2e.scenario({ keys: ['groq', 'anthropic'] });
  const plan = await s.run(['chat', '--explain', '--allow-paid', '-a', png, 'What is this?']);
  assert.equal(plan.code, 0, plan.stderr);
  assert.match(plan.stdout, /llama-3\.1-8b-instant.*\n?.*lacks vision \(has text, code, tools, json\)/);
  assert.match(plan.stdout, /claude-haiku-5-5/);
  assert.equal(s.fake.requests.length, 0, '--explain sends nothing');

  const real = await s.run(['chat', '--allow-paid', '-a', png, 'What is this?']);
  assert.equal(real.code, 0, real.stderr);
  const sent = s.fake.requests.at(-1)!;
  assert.equal(sent.path, '/v1/messages');
  assert.deepEqual(sent.body.messages[0].content, [
    { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG_1X1.toString('base64') } },
    { type: 'text', text: 'What is this?' },
  ]);
});

test('without a model that sees, nothing is called and the reason is the missing capability', async () => {
  const s = await e2e.scenario({ keys: ['groq'] });
  const r = await s.run(['chat', '-m', 'llama-3.1-8b-instant', '-a', png, 'What is this?']);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /lacks vision/);
  assert.equal(s.fake.requests.length, 0);
});
