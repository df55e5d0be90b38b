// `<PROVIDER>_BASE_URL` is checked as `--base-url` is (issue 9.9 c): `not a url` ended in "unexpected failure" and
// `https://user:pass@…` was used as it was. Now the variable is named with what is wrong (never its value), only
// that provider is passed over, and a run that needed it is a config error (exit 3).
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { ChatE2E, LLAMA } from '../helpers/chat-e2e.ts';

const e2e = new ChatE2E();
after(() => e2e.close());

const SECRET = 'pw-CANARY-base-url-4d3c2b1a';

test('a bad GROQ_BASE_URL was an unexpected failure: it is a config error naming the variable, never its value', async () => {
  const s = await e2e.scenario({ keys: ['groq'] });
  for (const [value, why] of [
    ['not a url', /GROQ_BASE_URL must be an http\(s\) URL/],
    [`https://me:${SECRET}@api.example.com/v1`, /GROQ_BASE_URL must not hold a user name or password/],
  ] as const) {
    const run = await s.run(['chat', '-m', `groq:${LLAMA}`, 'hi'], { env: { GROQ_BASE_URL: value } });
    assert.equal(run.code, 3, run.stderr);
    assert.match(run.stderr, why);
    assert.doesNotMatch(run.stderr, /unexpected/);
    assert.ok(!(run.stdout + run.stderr).includes(SECRET), 'the URL was printed with its password');
  }
  assert.equal(s.fake.requests.length, 0, 'nothing was sent');
});

test('a bad base URL variable breaks only its own provider: auto routes past it, list, models and quota work', async () => {
  const s = await e2e.scenario({ keys: ['groq', 'siliconflow'], steps: [{ text: ['from siliconflow'] }] });
  const env = { GROQ_BASE_URL: `https://me:${SECRET}@api.example.com/v1` };
  const chat = await s.run(['chat', 'hi'], { env });
  assert.equal(chat.code, 0, chat.stderr);
  assert.match(chat.stdout, /from siliconflow/);

  const plan = JSON.parse((await s.run(['chat', '--explain', '--json', 'hi'], { env })).stdout);
  const groq = plan.skipped.find((k: { provider: string }) => k.provider === 'groq');
  assert.equal(groq.reason, 'endpoint_invalid');

  const list = await s.run(['providers', 'list', '--json'], { env });
  assert.equal(list.code, 0, list.stderr);
  const row = JSON.parse(list.stdout).find((p: { id: string }) => p.id === 'groq');
  assert.equal(row.baseUrl, null);
  assert.match(row.baseUrlProblem, /GROQ_BASE_URL must not hold a user name or password/);
  for (const args of [['providers', 'list'], ['models'], ['quota']]) {
    const run = await s.run(args, { env });
    assert.equal(run.code, 0, `${args.join(' ')}: ${run.stderr}`);
    assert.ok(!(run.stdout + run.stderr).includes(SECRET), `${args.join(' ')} printed the password`);
  }
});

test('no key canary in any output or file', () => {
  e2e.assertNoCanaries();
});
