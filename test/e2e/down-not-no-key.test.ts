// Exit 4 ("no key") when the only provider with a key was cooling down after a 500 (issue 21, point 7): the user
// has a key; the provider is failing. That is the `down` failure: exit 1, saying the provider cools down.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { ChatE2E, LLAMA } from '../helpers/chat-e2e.ts';

const e2e = new ChatE2E();
after(() => e2e.close());

test('the only keyed provider cooling down after 500s: exit 1 saying it is cooling down, not exit 4', async () => {
  const s = await e2e.scenario({ keys: ['groq'] });
  s.fake.script(
    { fault: 'server_error' },
    { fault: 'server_error' },
    { fault: 'server_error' },
    { fault: 'server_error' },
  );
  const failed = await s.run(['chat', '-m', `groq:${LLAMA}`, 'hi']);
  assert.equal(failed.code, 1, failed.stderr);
  const r = await s.run(['chat', 'hi']);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /cooling down/);
});
