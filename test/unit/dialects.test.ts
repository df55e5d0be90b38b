// Provider dialects end to end in-process: each fixture (test/fixtures/provider-errors.ts, copied from a public
// source) is sent by the fake upstream exactly as the provider sends it, read by the real SDK client, classified
// by the provider's dialect, and acted on by the gateway with the real SQLite ledger. Each asserts the class (the
// fallback's code), the cooldown's scope and length, who answers next, the exit code when nobody else can, and the
// usage row: exactly one, the answering call's reported numbers, never the failed call's.
import { scopeLabel } from '../../src/core/cooldown-scope.ts';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startFakeUpstream, type FakeUpstream } from '../fake-upstream/index.ts';
import { failureText } from '../../src/cli/common/error-text.ts';
import { exitCodeOf } from '../../src/cli/common/exit-codes.ts';
import { ERROR_FIXTURES } from '../fixtures/provider-errors.ts';
import { DAILY_RESET, NOW, runDialect } from '../helpers/dialect-gateway.ts';

let fake: FakeUpstream;
before(async () => (fake = await startFakeUpstream()));
after(() => fake.close());

const step = (f: (typeof ERROR_FIXTURES)[number]) => ({ status: f.status, headers: f.headers ?? {}, rawBody: f.body });
const MODEL = { m1: 'm1', m2: 'm2', backup: 'b1' } as const;

describe('provider error fixtures, through the real SDKs and the gateway', () => {
  for (const f of ERROR_FIXTURES) {
    test(f.name, async () => {
      fake.clear();
      fake.script(step(f));
      const run = await runDialect(fake, { provider: f.provider });
      assert.equal(run.error, undefined, `the request failed: ${run.error?.message}`);
      const { expect } = f;

      // Who answers next.
      assert.equal(run.result!.model, MODEL[expect.answeredBy]);
      if (expect.answeredBy === 'm1') {
        assert.deepEqual(run.asked, ['m1', 'm1']);
        assert.deepEqual(run.sleeps, [expect.waitMs]);
        assert.deepEqual(run.result!.fallbacks, []);
      } else {
        const fallback = run.result!.fallbacks[0]!;
        assert.equal(fallback.model, 'm1');
        // The class, as the code scripts read in `chat --json`.
        assert.equal(fallback.code, expect.code, fallback.reason);
        if (expect.answeredBy === 'backup') {
          assert.deepEqual(
            run.asked,
            ['m1', 'b1'],
            "the provider's other model is not asked after an account-wide failure",
          );
          assert.deepEqual(
            run.result!.fallbacks.map((x) => [x.model, x.code]),
            [
              ['m1', expect.code],
              ['m2', expect.code],
            ],
          );
        } else {
          assert.deepEqual(run.asked, ['m1', 'm2'], "the key and the provider's other models stay usable");
        }
      }

      // The cooldown every process sees.
      if (!expect.cooldown) {
        assert.deepEqual(run.cooldowns, []);
      } else {
        assert.equal(run.cooldowns.length, 1, JSON.stringify(run.cooldowns));
        const [c] = run.cooldowns;
        assert.equal(scopeLabel(c!), expect.cooldown.on === 'provider' ? f.provider : `${f.provider}:m1`);
        assert.equal(c!.until, expect.cooldown.ms === 'tier-reset' ? DAILY_RESET : NOW + expect.cooldown.ms);
        if (expect.code === 'billing') assert.match(c!.reason, /billing/);
      }

      // One usage row: the answer's, as reported (11 in, 3 out), nothing for the failed attempt.
      assert.deepEqual(
        run.usage.map((u) => [u.model, u.input_tokens, u.output_tokens, u.estimated, u.outcome]),
        [[MODEL[expect.answeredBy], 11, 3, 0, 'ok']],
      );

      // Nobody else can answer: the exit code.
      fake.clear();
      fake.script(step(f), step(f));
      const solo = await runDialect(fake, { provider: f.provider, scenario: 'solo' });
      assert.ok(solo.error, 'a lone candidate that fails is an error');
      assert.equal(exitCodeOf(solo.error), expect.exit, solo.error.message);
      assert.deepEqual(solo.usage, [], 'nothing billed for a refused call');
      if (expect.code === 'billing') {
        const text = failureText(solo.error);
        assert.match(text.hint ?? '', /billing problem, not the key/);
        assert.doesNotMatch(`${text.message} ${text.hint}`, /check (the|your) keys?/);
      }
      fake.clear();
    });
  }
});
