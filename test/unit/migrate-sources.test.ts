// The api-gateway files as the old service and its users wrote them: .env syntax, the three date forms of
// quota.json, entries with missing fields, and files that do not parse (named with line and column, never quoted).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseOldDate } from '../../src/migrate/dates.ts';
import { parseEnvFile } from '../../src/migrate/env-file.ts';
import { isPlaceholder, notAKey } from '../../src/migrate/plan-keys.ts';
import { readQuotaFile } from '../../src/migrate/quota-file.ts';
import { readConfigFile } from '../../src/migrate/config-file.ts';
import { SourceError } from '../../src/migrate/source-error.ts';
import { exitCodeOf } from '../../src/cli/common/exit-codes.ts';

const CANARY = 'sk-CANARY-env-9f8e7d6c5b4a3210';

test('.env: comments, blank lines, export, both quotes, trailing comments; a later line wins', () => {
  const text = [
    '# a comment',
    '',
    'PORT=3000',
    'export GROQ_API_KEY=gsk_plain   # trailing comment',
    'OPENAI_API_KEY="sk-double \\"quoted\\"" # comment after quotes',
    "  SILICONFLOW_API_KEY = 'sk-single#not-a-comment'",
    'EMPTY=',
    'HASH=abc#def',
    'PORT=4000',
    '\r',
  ].join('\r\n');
  const entries = parseEnvFile('/x/.env', text);
  assert.deepEqual(
    entries.map((e) => [e.name, e.value, e.line]),
    [
      ['GROQ_API_KEY', 'gsk_plain', 4],
      ['OPENAI_API_KEY', 'sk-double "quoted"', 5],
      ['SILICONFLOW_API_KEY', 'sk-single#not-a-comment', 6],
      ['EMPTY', '', 7],
      ['HASH', 'abc#def', 8], // a # inside a word is part of the value, as in dotenv
      ['PORT', '4000', 9],
    ],
  );
});

test('.env: a line that is no assignment, or an unclosed quote, is an error at its line and column that never quotes it', () => {
  const cases: Array<[string, number, number]> = [
    [`OK=1\n  ${CANARY}\n`, 2, 3],
    [`OK=1\nKEY="${CANARY}\n`, 2, 5],
    [`KEY='${CANARY}' trailing\n`, 1, 38],
    [`1BAD=${CANARY}\n`, 1, 1],
  ];
  for (const [text, line, column] of cases) {
    assert.throws(
      () => parseEnvFile('/old/.env', text),
      (err: unknown) => {
        assert.ok(err instanceof SourceError);
        assert.equal(exitCodeOf(err), 3);
        assert.deepEqual([err.line, err.column], [line, column], text);
        assert.match(err.message, new RegExp(`^/old/\\.env:${line}:${column}: `));
        assert.ok(!err.message.includes(CANARY) && !(err.hint ?? '').includes(CANARY), 'the line may hold a key');
        return true;
      },
    );
  }
});

test('placeholders and empty values are not keys; real-looking keys are', () => {
  for (const v of [
    'sk-your-aliyun-key-here',
    'your-groq-key-here',
    'sk-ant-your-token-here',
    '<your key>',
    'xxxxxxxx',
    'changeme',
    'your-moonshot-key',
    'YOUR_API_KEY',
    'sk-your-key',
    'xxx',
  ]) {
    assert.ok(isPlaceholder(v), v);
  }
  for (const v of ['sk-fake-openai-1111111111111111111111', 'gsk_fake_4444444444444444444444444', CANARY])
    assert.equal(notAKey(v), undefined, v);
  assert.equal(notAKey(''), 'empty');
  assert.match(notAKey('two words')!, /not a key/);
});

test('lastResetAt: a date alone, a UTC time and a time with an offset are each one instant', () => {
  const midnight = Date.UTC(2026, 1, 15);
  assert.equal(parseOldDate('2026-02-15'), midnight);
  assert.equal(parseOldDate('2026-02-15T00:00:00.000Z'), midnight);
  assert.equal(parseOldDate('2026-02-15T08:00:00+08:00'), midnight);
  assert.equal(parseOldDate('2026-02-14T19:00:00-05:00'), midnight);
  assert.equal(parseOldDate('2026-02-15T00:30+0000'), midnight + 30 * 60_000);
  for (const bad of ['2026-02-30', '2026-02-15T00:00:00', '15/02/2026', 'yesterday', '2026-02-15T25:00:00Z', '']) {
    assert.equal(parseOldDate(bad), undefined, bad);
  }
});

test('quota.json: missing fields stay undefined, unusable entries carry their reason, the key names the tier', () => {
  const entries = readQuotaFile(
    '/old/data/quota.json',
    JSON.stringify({
      'groq:llama-3.1-8b-instant': {
        totalQuota: 1000,
        resetPeriod: 'weekly',
        lastResetAt: '2026-02-15T08:00:00+08:00',
      },
      'aliyun:deepseek-v3.2': { provider: 'aliyun', model: 'deepseek-v3.2', usedQuota: 5, expires: '2026-03-03' },
      'x:y': { totalQuota: -1 },
      'a:b': { resetPeriod: 'hourly' },
      'c:d': { lastResetAt: 'soon' },
      nokey: {},
      'e:f': 7,
    }),
  );
  assert.deepEqual(entries, [
    {
      key: 'groq:llama-3.1-8b-instant',
      tier: {
        key: 'groq:llama-3.1-8b-instant',
        provider: 'groq',
        model: 'llama-3.1-8b-instant',
        totalQuota: 1000,
        resetPeriod: 'weekly',
        lastResetAt: Date.UTC(2026, 1, 15),
      },
    },
    {
      key: 'aliyun:deepseek-v3.2',
      tier: {
        key: 'aliyun:deepseek-v3.2',
        provider: 'aliyun',
        model: 'deepseek-v3.2',
        usedQuota: 5,
        expires: '2026-03-03',
      },
    },
    { key: 'x:y', problem: 'totalQuota is not a positive whole number' },
    { key: 'a:b', problem: 'resetPeriod is not one of daily, weekly, monthly' },
    { key: 'c:d', problem: 'lastResetAt is not a date (YYYY-MM-DD), a UTC time or a time with an offset' },
    { key: 'nokey', problem: 'names no provider and model (neither in its fields nor as "provider:model")' },
    { key: 'e:f', problem: 'not an object' },
  ]);
});

test('a JSON file that does not parse is named with the line and column where it breaks', () => {
  const text = '{\n  "groq:llama": {\n    "totalQuota": 1000,\n    "usedQuota": ,\n  }\n}\n';
  assert.throws(
    () => readQuotaFile('/old/data/quota.json', text),
    (err: unknown) => {
      assert.ok(err instanceof SourceError);
      assert.deepEqual([err.line, err.column], [4, 18]);
      assert.match(err.message, /^\/old\/data\/quota\.json:4:18: not valid JSON: expected a value$/);
      return true;
    },
  );
  assert.throws(
    () => readQuotaFile('/q.json', '{"a": {"totalQuota": 1}'),
    /\/q\.json:1:24: not valid JSON: the file ends too early/,
  );
  assert.throws(() => readQuotaFile('/q.json', '[1, 2]'), /\/q\.json:1:1: expected an object/);
  assert.throws(
    () => readConfigFile('/c.json', '{"providers": {"x": {"baseURL": "http://a"}},}'),
    /\/c\.json:1:46: not valid JSON: expected a "quoted" property name/,
  );
});

test('config.json: providers with one or several apiKeyEnv names, models with cost, scenarios; bad items say why', () => {
  const config = readConfigFile(
    '/old/config.json',
    JSON.stringify({
      providers: {
        zhipu: { type: 'openai', baseURL: 'https://open.bigmodel.cn/api/paas/v4', apiKeyEnv: 'ZHIPU_API_KEY' },
        anthropic: {
          type: 'anthropic',
          baseURL: 'https://api.anthropic.com/v1',
          apiKeyEnv: ['ANTHROPIC_API_KEY', 'ANTHROPIC_AUTH_TOKEN'],
        },
        odd: { type: 'grpc' },
      },
      models: [
        { id: 'glm-4-flash', provider: 'zhipu', contextWindow: 128000, cost: { input: 0, output: 0 } },
        { id: 'x' },
      ],
      scenarios: { default: ['a', 'b'], bad: 'a' },
    }),
  );
  assert.deepEqual(config.providers, [
    {
      value: {
        id: 'zhipu',
        protocol: 'openai',
        baseUrl: 'https://open.bigmodel.cn/api/paas/v4',
        apiKeyEnv: ['ZHIPU_API_KEY'],
      },
    },
    {
      value: {
        id: 'anthropic',
        protocol: 'anthropic',
        baseUrl: 'https://api.anthropic.com/v1',
        apiKeyEnv: ['ANTHROPIC_API_KEY', 'ANTHROPIC_AUTH_TOKEN'],
      },
    },
    { subject: 'odd', problem: 'type is neither "openai" nor "anthropic"' },
  ]);
  assert.deepEqual(config.models, [
    { value: { id: 'glm-4-flash', provider: 'zhipu', contextWindow: 128000, price: { input: 0, output: 0 } } },
    { subject: 'x', problem: 'names no provider' },
  ]);
  assert.deepEqual(config.scenarios, [
    { value: { name: 'default', models: ['a', 'b'] } },
    { subject: 'bad', problem: 'is not a list of model names' },
  ]);
});
