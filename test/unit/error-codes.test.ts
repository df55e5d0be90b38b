// The core speaks in codes and data, the front ends in words: no text in src/core/ tells a user about a CLI flag or
// command, and every failure code maps to the exit code the table in src/core/errors.ts documents.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { failureText } from '../../src/cli/common/error-text.ts';
import { EXIT_CODE_BY_FAILURE, EXIT_CODE_BY_UPSTREAM_KIND, exitCodeOf } from '../../src/cli/common/exit-codes.ts';
import { buildCatalog, requireProvider, resolveModel } from '../../src/core/catalog.ts';
import {
  ConfigError,
  GatewayError,
  UpstreamError,
  UsageError,
  type FailureCode,
  type FailureOf,
} from '../../src/core/errors.ts';
import { allFailedError, noCandidateError } from '../../src/core/gateway-errors.ts';
import type { Fallback, RoutePlan, Skip } from '../../src/core/types.ts';

const CORE = fileURLToPath(new URL('../../src/core', import.meta.url));

/** Every string and template-literal piece in a TypeScript file: the text it can show, not its comments. */
function literalsOf(path: string): string[] {
  const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateLiteralToken(node))
      found.push(node.text);
    node.forEachChild(visit);
  };
  visit(source);
  return found;
}

test('no text under src/core/ names a CLI flag or an llm-gateway command', () => {
  const files = readdirSync(CORE).filter((name) => name.endsWith('.ts'));
  const all = files.flatMap((name) => literalsOf(join(CORE, name)).map((text) => ({ name, text })));
  // The scan sees the core's messages at all (a scanner that finds nothing would pass vacuously).
  assert.ok(all.some(({ text }) => text.includes('no model can take this request')));
  const cliWords = /(^|[\s`'"(])--[a-z]|llm-gateway|settings\.json/;
  const offending = all
    .filter(({ text }) => cliWords.test(text))
    .map(({ name, text }) => `${name}: ${JSON.stringify(text)}`);
  assert.deepEqual(offending, []);
});

/** The rows of the code table in core/errors.ts: code -> its CLI exit column ("by kind" for upstream). */
function documentedExitCodes(): Map<string, string> {
  const text = readFileSync(join(CORE, 'errors.ts'), 'utf8');
  const rows = [...text.matchAll(/^\/\/ {3}([a-z_]+) {2,}.+? {2,}(\d+|by kind)$/gm)];
  return new Map(rows.map((m) => [m[1]!, m[2]!]));
}

test('every failure code exits as the table in core/errors.ts documents, and the table lists every code', () => {
  const documented = documentedExitCodes();
  const mapped = Object.entries(EXIT_CODE_BY_FAILURE).map(([code, exit]) => [code, String(exit)] as const);
  assert.deepEqual(new Map([...mapped, ['upstream', 'by kind']]), documented);
});

test('an upstream failure exits by its kind, as core/errors.ts documents', () => {
  const text = readFileSync(join(CORE, 'errors.ts'), 'utf8');
  const line = text.match(/`upstream` maps by its `kind` \(UpstreamErrorKind below\): (.+)\.$/m)?.[1];
  assert.ok(line, 'the kind line is missing from core/errors.ts');
  // "auth 4; quota, rate_limit 5; aborted 130; others 1"
  const byKind = new Map<string, number>();
  let others = -1;
  for (const part of line.split('; ')) {
    const m = part.match(/^(.+) (\d+)$/)!;
    if (m[1] === 'others') others = Number(m[2]);
    else for (const kind of m[1]!.split(', ')) byKind.set(kind, Number(m[2]));
  }
  for (const [kind, exit] of Object.entries(EXIT_CODE_BY_UPSTREAM_KIND)) {
    assert.equal(exit, byKind.get(kind) ?? others, kind);
    const error = new UpstreamError({ provider: 'p', kind: kind as UpstreamError['kind'], message: 'm' });
    assert.equal(exitCodeOf(error), exit, kind);
  }
});

test('errors raised by the core carry a code and data, and no hint; the CLI words the fix', () => {
  const catalog = buildCatalog({
    providers: [{ id: 'groq', keyEnv: ['GROQ_API_KEY'] }],
    models: [{ id: 'llama', deployments: [{ provider: 'groq', price: { input: 1, output: 1 } }] }],
    aliases: { fast: 'llama', stale: 'gone' },
  });
  const thrown = (fn: () => unknown): GatewayError => {
    try {
      fn();
    } catch (err) {
      assert.ok(err instanceof GatewayError);
      return err;
    }
    assert.fail('did not throw');
  };
  const unknown = thrown(() => resolveModel(catalog, 'lama'));
  assert.deepEqual(unknown.failure, { code: 'unknown_model', selector: 'lama', nearest: ['llama', 'fast'] });
  assert.equal(unknown.hint, undefined);
  assert.equal(failureText(unknown).hint, 'did you mean "llama", "fast"? `llm-gateway models` lists them all');
  assert.equal(exitCodeOf(unknown), 2);
  assert.deepEqual(thrown(() => resolveModel(catalog, 'stale')).failure, {
    code: 'broken_alias',
    alias: 'stale',
    target: 'gone',
  });
  const provider = thrown(() => requireProvider(catalog, 'grok'));
  assert.deepEqual(provider.failure, {
    code: 'unknown_provider',
    provider: 'grok',
    nearest: ['groq'],
    known: ['groq'],
  });
  assert.equal(failureText(provider).hint, 'did you mean groq? known providers: groq');

  const paid: Skip = {
    model: 'llama',
    provider: 'groq',
    reason: 'paid_not_allowed',
    price: { input: 1, output: 1 },
    detail: 'paid model ($1/$1 per 1K tokens in/out)',
  };
  const noKey: Skip = {
    model: 'llama',
    provider: 'groq',
    reason: 'no_key',
    configured: true,
    keyEnv: ['GROQ_API_KEY'],
    detail: 'no key',
  };
  const plan = (...skipped: Skip[]): RoutePlan => ({ at: 0, target: 'llama', candidates: [], skipped });
  const quota = noCandidateError(plan(noKey, paid));
  assert.equal(quota.code, 'no_candidate_quota');
  assert.equal(exitCodeOf(quota), 5);
  assert.doesNotMatch(quota.message, /--allow-paid|llm-gateway/);
  assert.equal(
    failureText(quota).message,
    'no model can take this request (llama):\n' +
      '  llama (groq): no key: set GROQ_API_KEY or run `llm-gateway providers add groq`\n' +
      '  llama (groq): paid model ($1/$1 per 1K tokens in/out); pass --allow-paid or set allowPaid',
  );
  // The hints in the order their causes first appear among the skips.
  assert.match(failureText(quota).hint ?? '', /^add a key: .*; wait for a reset .*--allow-paid$/);
  const key = noCandidateError(plan(noKey));
  assert.deepEqual([key.code, exitCodeOf(key)], ['no_candidate_key', 4]);

  const rejected = new UpstreamError({
    provider: 'groq',
    kind: 'auth',
    status: 401,
    message: 'groq: HTTP 401: bad key',
  });
  const allAuth = allFailedError(
    [{ model: 'llama', provider: 'groq', reason: rejected.message, code: 'auth', status: 401 }],
    [rejected],
  );
  assert.deepEqual([allAuth.code, exitCodeOf(allAuth)], ['all_failed_auth', 4]);
  assert.equal(failureText(allAuth).hint, 'check the keys with `llm-gateway providers list`');
});

test('errors raised by the CLI and the store keep their own words and exit by their code', () => {
  const usage = new UsageError('--max-tokens must be a positive whole number, got "x"');
  assert.deepEqual([usage.code, exitCodeOf(usage), failureText(usage).message], ['invalid_input', 2, usage.message]);
  const config = new ConfigError('settings file /x is not valid JSON', 'fix it', '/x');
  assert.deepEqual(
    [config.failure, exitCodeOf(config), failureText(config).hint],
    [{ code: 'config', path: '/x' }, 3, 'fix it'],
  );
  assert.equal(exitCodeOf(new Error('a bug')), 1);
});

test('every code narrows to its own member, families included (a front end can map code by code)', () => {
  const quota: FailureOf<'no_candidate_quota'> = {
    code: 'no_candidate_quota',
    plan: { at: 0, target: 't', candidates: [], skipped: [] },
    causes: ['quota'],
  };
  const auth: FailureOf<'all_failed_auth'> = { code: 'all_failed_auth', fallbacks: [] };
  // Compile-time: each family member is reachable by its own code (an Extract over a union-coded member is never).
  const codes: FailureCode[] = [quota.code, auth.code];
  assert.deepEqual(codes, ['no_candidate_quota', 'all_failed_auth']);
  const server: Extract<Fallback, { code: 'server' }> = {
    model: 'm',
    provider: 'p',
    reason: 'HTTP 500',
    code: 'server',
    status: 500,
  };
  const rejected: Extract<Fallback, { code: 'key_rejected' }> = {
    model: 'm',
    provider: 'p',
    reason: 'p rejected the key',
    code: 'key_rejected',
  };
  assert.deepEqual([server.code, rejected.code], ['server', 'key_rejected']);
});
