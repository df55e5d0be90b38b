// `providers list` and `providers remove`.
import { requireProvider } from '../../core/catalog.ts';
import { describeKeyProblem } from '../../core/router-detail.ts';
import { editConfig } from '../../store/config-edit.ts';
import { maskKey, NO_KEY_NEEDED } from '../../store/keys.ts';
import { baseUrlEnvProblem, resolveBaseUrl } from '../../store/endpoints.ts';
import type { Context } from '../common/context.ts';
import { withoutProvider } from './provider-settings.ts';
import {
  danglingReferences,
  describeRemoval,
  sameReference,
  withoutReferences,
} from '../../runtime/settings-references.ts';

export async function providersListCommand(context: Context, options: { json?: boolean }): Promise<void> {
  const catalog = context.runtime.catalog();
  const rows = [...catalog.providers.values()].map((p) => {
    const key = context.runtime.keyFor(p);
    // An unusable key (a space in its variable) is shown as such, with what is wrong: never its value, and never a
    // reason for the other providers to fail.
    const invalid = context.runtime.keyProblem(p);
    // A bad <PROVIDER>_BASE_URL is named, never shown: its value may hold a user name and password.
    const endpoint = baseUrlEnvProblem(p, context.runtime.env);
    return {
      id: p.id,
      name: p.name,
      protocol: p.protocol,
      baseUrl: endpoint ? null : resolveBaseUrl(p, context.runtime.env),
      baseUrlProblem: endpoint ? `${endpoint.variable} ${endpoint.problem}` : null,
      builtIn: p.builtIn,
      key: key && key.source !== NO_KEY_NEEDED ? maskKey(key.key) : null,
      // A migrated key says where it came from until it is replaced.
      keySource: key
        ? (key.origin ?? key.source)
        : invalid
          ? invalid.variable
            ? `env ${invalid.variable}`
            : 'stored'
          : null,
      keyInvalid: invalid ? describeKeyProblem(invalid) : null,
      keyEnv: p.keyEnv,
      models: [...catalog.models.values()]
        .filter((m) => m.deployments.some((d) => d.provider === p.id))
        .map((m) => m.id),
    };
  });
  if (options.json) {
    context.out.json(rows);
    return;
  }
  const style = context.out.style;
  await context.out.table(
    [
      { header: 'PROVIDER' },
      { header: 'PROTOCOL' },
      { header: 'BASE URL', shrink: true },
      { header: 'KEY' },
      { header: 'KEY FROM', shrink: true },
      { header: 'MODELS', align: 'right' },
      { header: 'ORIGIN' },
    ],
    rows.map((r) => [
      r.id,
      r.protocol,
      r.baseUrl ?? `invalid: ${r.baseUrlProblem}`,
      r.keyInvalid ? 'invalid' : (r.key ?? '—'),
      r.keyInvalid ?? r.keySource ?? `set ${r.keyEnv.join(' or ')}`,
      String(r.models.length),
      r.builtIn ? 'built-in' : 'added',
    ]),
    (r, c, text) =>
      (c === 3 || c === 4) && rows[r]!.keyInvalid
        ? style.red(text)
        : (c === 3 || c === 4) && !rows[r]!.keySource
          ? style.yellow(text)
          : text,
  );
}

export function providersRemoveCommand(context: Context, name: string, options: { json?: boolean }): void {
  const provider = requireProvider(context.runtime.catalog(), name);
  // One locked edit: the provider, its key, and what in settings named its models and would name nothing now.
  const { hadKey, alsoRemoved, said } = editConfig(context.runtime.paths, (draft) => {
    const had = Object.hasOwn(draft.keys, name);
    delete draft.keys[name];
    const before = danglingReferences(draft.settings);
    const after = withoutProvider(draft.settings, name);
    // Only what this removal leaves dangling: a reference broken before is doctor's to report, not ours to take.
    const removed = danglingReferences(after).filter((ref) => !before.some((b) => sameReference(b, ref)));
    draft.settings = withoutReferences(after, removed);
    return { hadKey: had, alsoRemoved: removed, said: describeRemoval(after, removed) };
  });
  context.runtime.invalidate();
  if (options.json) {
    context.out.json({ provider: name, builtIn: provider.builtIn, storedKeyRemoved: hadKey, alsoRemoved });
    return;
  }
  const also = said.length ? `; also removed: ${said.join(', ')}` : '';
  context.out.note(
    (provider.builtIn
      ? `removed the stored key and settings of ${name}; it stays available as a built-in provider (with a key from the environment)`
      : `removed provider ${name}${hadKey ? ' and its stored key' : ''}`) + also,
  );
}
