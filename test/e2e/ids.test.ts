// Provider and model ids are checked where they enter (settings.json, `providers add`), with the field and the rule
// named; the vendors' own model ids — with @, :, / or wide characters — pass as they are.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../../src/core/errors.ts';
import { modelIdProblem, providerIdProblem } from '../../src/core/ids.ts';
import { loadSettings } from '../../src/store/settings.ts';
import { runCli, tempHome } from '../helpers/cli.ts';

describe('ids', () => {
  it('model ids as vendors write them are accepted', () => {
    for (const id of [
      'claude-sonnet-v2@20241022',
      '@cf/meta/llama-3-8b-instruct',
      'llama3:8b',
      'Qwen/Qwen2.5-7B-Instruct',
      '通义千问-max',
      '🤖-bot',
      '👩‍💻-coder',
    ]) {
      assert.equal(modelIdProblem(id), undefined, id);
    }
  });

  it('model ids that would break a line, a table or a terminal are refused, and so is auto', () => {
    for (const id of [
      '',
      'has space',
      'two\nlines',
      'tab\there',
      'evil\u202Eltr',
      'zero\u200Bwidth',
      'x'.repeat(201),
      'auto',
      'AUTO',
    ]) {
      assert.ok(modelIdProblem(id), JSON.stringify(id));
    }
  });

  it('provider ids are short and plain', () => {
    assert.equal(providerIdProblem('zhipu'), undefined);
    assert.equal(providerIdProblem('my-local_2'), undefined);
    for (const id of ['', 'Groq', 'a:b', 'a@b', 'a#b', '-x', 'x'.repeat(41)]) assert.ok(providerIdProblem(id), id);
  });

  it('settings.json: a bad provider id or model id is a ConfigError naming the field', () => {
    const path = join(tempHome(), 'settings.json');
    writeFileSync(path, JSON.stringify({ providers: { 'my:provider': { baseUrl: 'https://x.example/v1' } } }));
    assert.throws(
      () => loadSettings(path),
      (err: unknown) =>
        err instanceof ConfigError && /providers\.my:provider: the id "my:provider" must be/.test(err.message),
    );
    writeFileSync(path, JSON.stringify({ models: [{ id: 'two words' }] }));
    assert.throws(
      () => loadSettings(path),
      (err: unknown) =>
        err instanceof ConfigError && /models\[0\]\.id: the id "two words" must not hold spaces/.test(err.message),
    );
    writeFileSync(path, JSON.stringify({ models: [{ id: 'claude-sonnet-v2@20241022' }] }));
    assert.equal(loadSettings(path).models?.[0]?.id, 'claude-sonnet-v2@20241022');
  });

  it('providers add --model with a space in the id exits 2 naming it, and writes nothing', async () => {
    const home = tempHome();
    const r = await runCli(
      ['providers', 'add', 'zhipu', '--base-url', 'https://open.bigmodel.cn/api/paas/v4', '--model', 'glm 4'],
      { home },
    );
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /--model "glm 4": a model id must not hold spaces/);
    const ok = await runCli(
      ['providers', 'add', 'vertex', '--base-url', 'https://vertex.example/v1', '--model', 'claude-sonnet-v2@20241022'],
      { home },
    );
    assert.equal(ok.code, 0, ok.stderr);
  });
});
