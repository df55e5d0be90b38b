// Writing a migration plan (src/migrate/apply.ts) when another process edits the configuration between planning
// and writing: the plan was made against the old files, so writing it would undo that edit without a word.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import builtIn from '../../src/catalog/builtin.json' with { type: 'json' };
import type { CatalogData } from '../../src/core/catalog.ts';
import { ConfigError } from '../../src/core/errors.ts';
import { writePlan } from '../../src/migrate/apply.ts';
import { planMigration } from '../../src/migrate/plan.ts';
import { readSource } from '../../src/migrate/source.ts';
import { editConfig } from '../../src/store/config-edit.ts';
import { storePaths } from '../../src/store/paths.ts';
import { FIXTURE } from '../helpers/migrate.ts';

test('an edit made by another process while migrate was planning is not undone: nothing is written, run again', async () => {
  const paths = storePaths(mkdtempSync(join(tmpdir(), 'llmgw-apply-')));
  const plan = planMigration(
    {
      source: readSource(FIXTURE),
      settings: {},
      keys: {},
      builtIn: builtIn as CatalogData,
      importedUsage: () => undefined,
      now: Date.parse('2026-11-30T12:00:00Z'),
      force: false,
    },
    paths.settings,
  );
  // Meanwhile, in another terminal: `llm-gateway default llama-3.1-8b-instant` (any edit of settings).
  editConfig(paths, (draft) => {
    draft.settings = { defaultModel: 'llama-3.1-8b-instant' };
  });
  const before = readFileSync(paths.settings, 'utf8');
  const ledger = () => {
    throw new Error('the sample carries no usage into windows running at this date: no ledger is needed');
  };
  await assert.rejects(
    writePlan(plan, { paths, ledger, quota: async () => ledger(), now: 0 }, undefined, { settings: {}, keys: {} }),
    (err: unknown) =>
      err instanceof ConfigError &&
      /changed by another llm-gateway process/.test(err.message) &&
      /nothing was written|migrate/.test(err.message),
  );
  assert.equal(readFileSync(paths.settings, 'utf8'), before, "the other process's edit is still there");
});
