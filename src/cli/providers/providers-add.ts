// `providers add <name>`: a new provider, or a key / base URL / models for an existing one. A key never arrives
// as a flag value: it comes from stdin, a file, an environment variable named here, or a hidden prompt. A local
// server takes none (`--no-key`: nothing is sent, and the provider is usable without one); a key may also travel
// in a header of the provider's choosing (`--auth-header`).
import type { ModelData } from '../../core/catalog.ts';
import { ConfigError, UsageError } from '../../core/errors.ts';
import { modelIdProblem, providerIdProblem } from '../../core/ids.ts';
import { describeKeyProblem } from '../../core/router-detail.ts';
import { own } from '../../lib/own.ts';
import { KNOWN_CAPABILITIES, type Auth, type Protocol } from '../../core/types.ts';
import { baseUrlProblem } from '../../store/endpoints.ts';
import { editConfig } from '../../store/config-edit.ts';
import { maskKey, NO_KEY_NEEDED } from '../../store/keys.ts';
import { isHeaderName } from '../../store/settings.ts';
import type { Context } from '../common/context.ts';
import { failureText } from '../common/error-text.ts';
import { safeMessage } from '../common/report-failure.ts';
import { withoutProvider } from './provider-settings.ts';
import { parsePositiveInt } from '../common/options.ts';
import { cleanKey, promptHidden, readKeyFromFile, readKeyFromStream } from '../common/secret-input.ts';

interface AddOptions {
  baseUrl?: string;
  protocol?: Protocol;
  apiKeyStdin?: boolean;
  apiKeyFile?: string;
  apiKeyEnv?: string;
  /** false with --no-key */
  key: boolean;
  authHeader?: string;
  model: string[];
  free?: boolean;
  context?: string;
  /** The --model models' capabilities; empty: the assumed ones (core/catalog.ts ASSUMED_CAPABILITIES). */
  capability: string[];
  replace?: boolean;
  /** false with --no-stream-usage */
  streamUsage: boolean;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export async function providersAddCommand(context: Context, name: string, options: AddOptions): Promise<void> {
  if (providerIdProblem(name)) {
    throw new UsageError(`"${name}" is not a usable provider name: it ${providerIdProblem(name)}`);
  }
  const keySources = [options.apiKeyStdin, options.apiKeyFile, options.apiKeyEnv].filter(Boolean).length;
  if (keySources > 1) throw new UsageError('give the key one way: --api-key-stdin, --api-key-file or --api-key-env');
  if (options.apiKeyEnv && !ENV_NAME.test(options.apiKeyEnv)) {
    throw new UsageError(`--api-key-env takes a variable name like ZHIPU_API_KEY, got "${options.apiKeyEnv}"`);
  }
  if (options.key === false && keySources > 0) {
    throw new UsageError(
      '--no-key means the provider takes no key',
      'drop --no-key, or drop --api-key-stdin / --api-key-file / --api-key-env',
    );
  }
  if (options.key === false && options.authHeader !== undefined)
    throw new UsageError('--no-key sends no key, so it has no --auth-header');
  if (options.authHeader !== undefined && !isHeaderName(options.authHeader)) {
    throw new UsageError(
      `--auth-header takes a header name, got "${options.authHeader}"`,
      'e.g. --auth-header x-api-key',
    );
  }
  const auth: Auth | undefined =
    options.key === false
      ? { kind: 'none' }
      : options.authHeader !== undefined
        ? { kind: 'header', name: options.authHeader }
        : undefined;
  const baseUrl = options.baseUrl === undefined ? undefined : checkUrl(options.baseUrl);
  const models = addModels(name, options); // checked before a key is asked for

  const existing = context.runtime.catalog().providers.get(name);
  // Only a key for a provider that exists: the key changes and nothing else does, --replace or not. The hints for a
  // bad or rejected key send users here (`providers add k`), and a replace without --base-url used to wipe an added
  // provider's base URL and models.
  const keyOnly = Boolean(existing) && !shapesProvider(options);
  if (existing && !existing.builtIn && !options.replace && !keyOnly) {
    throw new UsageError(
      `provider ${name} already exists`,
      `pass --replace to overwrite it, give only a key (--api-key-stdin) to change just the key, or \`llm-gateway providers remove ${name}\` first`,
    );
  }
  if (!existing && !baseUrl) {
    throw new UsageError(
      `a new provider needs --base-url`,
      `e.g. llm-gateway providers add ${name} --base-url https://api.example.com/v1`,
    );
  }
  if (existing?.builtIn && options.protocol && options.protocol !== existing.protocol) {
    throw new UsageError(`${name} is built in and speaks the ${existing.protocol} protocol`);
  }

  const key = options.key === false ? undefined : await readKey(context, name, options);
  if (keyOnly && !key && !existing!.builtIn) {
    throw new UsageError(
      `no key given: nothing changed for ${name}`,
      `pipe the key in: llm-gateway providers add ${name} --api-key-stdin < key.txt`,
    );
  }
  const replacing = Boolean(options.replace && existing && !existing.builtIn && !keyOnly);
  let hadKey = false;
  let liftedNoKey = false;
  // Read, changed and written under the config lock, from the files as they are now: a concurrent add of another
  // provider is kept, and settings and keys change together or not at all.
  editConfig(context.runtime.paths, (draft) => {
    if (!existing && !options.replace && own(draft.settings.providers, name)) {
      throw new UsageError(
        `provider ${name} already exists`,
        `pass --replace to overwrite it, or \`llm-gateway providers remove ${name}\` first`,
      );
    }
    hadKey = Boolean(own(draft.keys, name));
    const stored = own(draft.settings.providers, name);
    if (keyOnly && key) {
      draft.keys[name] = { key };
      // A key given now means the provider takes one again: a --no-key mark would keep it from being sent.
      if (stored?.auth?.kind === 'none') {
        liftedNoKey = true;
        const { auth: _none, ...rest } = stored;
        draft.settings = { ...draft.settings, providers: { ...draft.settings.providers, [name]: rest } };
      }
      return;
    }
    // A replace keeps the models (and their free tiers) unless new ones are given.
    const base = replacing ? (models.length ? withoutProvider(draft.settings, name) : draft.settings) : draft.settings;
    const providers = { ...base.providers };
    const { auth: earlierAuth, ...earlier } = existing?.builtIn ? (stored ?? {}) : {};
    // A key given now means the provider takes one again; any other earlier way of sending it stays.
    const keptAuth = earlierAuth?.kind === 'none' && (key || options.apiKeyEnv) ? undefined : earlierAuth;
    // A replace without --base-url keeps the old endpoint: an added provider without one cannot be called.
    const keptUrl = replacing && !baseUrl ? { baseUrl: stored?.baseUrl, baseUrlEnv: stored?.baseUrlEnv } : {};
    if (replacing && !baseUrl && !keptUrl.baseUrl && !keptUrl.baseUrlEnv?.length) {
      throw new UsageError(
        `provider ${name} has no base URL to keep`,
        `pass --base-url, e.g. --base-url https://api.example.com/v1`,
      );
    }
    providers[name] = {
      ...earlier, // a built-in's earlier overrides stay; a replaced one starts afresh
      ...(existing?.builtIn ? {} : { protocol: options.protocol ?? 'openai' }),
      ...((auth ?? keptAuth) ? { auth: auth ?? keptAuth } : {}),
      ...(keptUrl.baseUrl ? { baseUrl: keptUrl.baseUrl } : {}),
      ...(keptUrl.baseUrlEnv?.length ? { baseUrlEnv: keptUrl.baseUrlEnv } : {}),
      ...(baseUrl ? { baseUrl } : {}),
      // The named variable comes first; a built-in's own variables (GROQ_API_KEY, …) still count after it.
      ...(options.apiKeyEnv
        ? { keyEnv: [...new Set([options.apiKeyEnv, ...(existing?.builtIn ? existing.keyEnv : [])])] }
        : {}),
      ...(options.streamUsage ? {} : { streamUsage: false }),
    };
    draft.settings = { ...base, providers, models: mergeModels(base.models ?? [], name, models) };
    // --api-key-env means "no stored key": one kept from before would win over the variable and be sent instead;
    // --no-key means no key at all.
    if (key)
      draft.keys[name] = { key }; // a new key has no provenance to show
    else if (replacing || options.apiKeyEnv || options.key === false) delete draft.keys[name];
  });
  // A new key deserves a fresh start: lift the "key rejected" mark (and any cooldown) the old one earned.
  if ((key || options.apiKeyEnv || auth) && context.runtime.hasLedger()) await liftCooldowns(context, name);

  context.runtime.invalidate();
  const spec = context.runtime.catalog().providers.get(name);
  if (!spec) {
    context.out.note(`provider ${name} was saved, but another command has removed it since`);
    return;
  }
  const resolved = context.runtime.keyFor(spec);
  const shadowed =
    key && resolved && resolved.source !== 'stored' ? ` (stored, but ${resolved.source} wins over it)` : '';
  const invalid = context.runtime.keyProblem(spec);
  const keyNote = invalid
    ? `${key ? 'key stored, but ' : ''}${describeKeyProblem(invalid)}${key && invalid.variable ? ', and the variable wins over the stored key' : ''}`
    : resolved?.source === NO_KEY_NEEDED
      ? 'no key needed, none will be sent'
      : resolved
        ? `key ${maskKey(resolved.key)} ${resolved.source === 'stored' ? 'stored' : `from ${resolved.source}${shadowed}`}`
        : `no key yet: set ${spec.keyEnv.join(' or ')} or run this again with --api-key-stdin`;
  const modelNote = options.model.length ? `; models: ${options.model.map((m) => m.split('=')[0]).join(', ')}` : '';
  if (keyOnly && key) {
    const plain = !invalid && resolved?.source === 'stored';
    const settingsNote = liftedNoKey ? 'it takes a key again; other settings unchanged' : 'provider settings unchanged';
    context.out.note(
      `key ${hadKey ? 'replaced' : 'stored'} for ${name} (${settingsNote}): ${plain ? maskKey(resolved.key) : keyNote}`,
    );
    return;
  }
  const verb = existing?.builtIn ? 'updated built-in' : replacing ? 'replaced' : 'added';
  context.out.note(`${verb} provider ${name}: ${keyNote}${modelNote}`);
}

/**
 * Lifts the provider's cooldowns, best effort. The key is this machine's and is saved by now; the ledger (a shared
 * database that is down, a locked ledger.db) is needed only for this, so its failure is a warning and the command
 * still succeeds: the marks end on their own, or when this is run again with the ledger back.
 */
async function liftCooldowns(context: Context, name: string): Promise<void> {
  try {
    await (await context.runtime.quota()).clearCooldowns({ provider: name });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    const why = safeMessage(context, failureText(err).message);
    context.out.note(
      `${context.out.errStyle.yellow('warning:')} ${why}; so a cooldown ${name}'s earlier key earned was not lifted: it ends on its own, or run this again once the ledger can be reached`,
    );
  }
}

/** Whether the flags say anything about the provider itself, beyond a key from stdin, a file or a prompt. */
function shapesProvider(options: AddOptions): boolean {
  return (
    options.baseUrl !== undefined ||
    options.protocol !== undefined ||
    options.model.length > 0 ||
    options.authHeader !== undefined ||
    options.key === false ||
    options.apiKeyEnv !== undefined ||
    !options.streamUsage ||
    Boolean(options.free) ||
    options.context !== undefined ||
    options.capability.length > 0
  );
}

async function readKey(context: Context, name: string, options: AddOptions): Promise<string | undefined> {
  if (options.apiKeyStdin && !context.stdin.isTTY) return readKeyFromStream(context.stdin);
  if (options.apiKeyFile) return await readKeyFromFile(options.apiKeyFile);
  if (options.apiKeyEnv) return undefined;
  // On a terminal, --api-key-stdin would echo the key as it is typed: ask at a hidden prompt instead.
  if (context.stdin.isTTY && context.out.stderr.isTTY) {
    const typed = await promptHidden(
      `API key for ${name} (input hidden; empty to skip): `,
      context.stdin,
      context.out.stderr,
    );
    // Checked as a piped or filed key is: a tab, an arrow key's escape sequence or a stray control character is
    // refused here, not stored to fail at every call.
    return typed.trim() ? cleanKey(typed, 'the key typed') : undefined;
  }
  return undefined; // the key may come from the environment at each run
}

const MODEL_EXAMPLE = 'e.g. --model glm-4-flash or --model fast=vendor/model-v2';

function addModels(provider: string, options: AddOptions): ModelData[] {
  // --free and --context describe the --model models: without one they would be dropped without a word.
  for (const flag of [
    options.free ? '--free' : '',
    options.context !== undefined ? '--context' : '',
    options.capability.length ? '--capability' : '',
  ].filter(Boolean)) {
    if (options.model.length === 0)
      throw new UsageError(
        `${flag} describes the --model models, and none was given`,
        `add the models it applies to, ${MODEL_EXAMPLE}`,
      );
  }
  const contextWindow = options.context === undefined ? undefined : parsePositiveInt(options.context, '--context');
  const capabilities = modelCapabilities(options.capability);
  return options.model.map((spec): ModelData => {
    // One `=` at most: `a=b=c` would otherwise be stored as a=b, the rest dropped without a word.
    const parts = spec.split('=').map((s) => s.trim());
    const [id, upstreamId] = parts;
    if (!id || parts.length > 2 || upstreamId === '')
      throw new UsageError(`--model takes id or id=upstream-id, got "${spec}"`, MODEL_EXAMPLE);
    const problem = modelIdProblem(id);
    if (problem) throw new UsageError(`--model ${JSON.stringify(id)}: a model id ${problem}`, MODEL_EXAMPLE);
    const upstreamProblem = upstreamId === undefined ? undefined : modelIdProblem(upstreamId);
    if (upstreamProblem && upstreamId!.toLowerCase() !== 'auto') {
      throw new UsageError(`--model ${JSON.stringify(spec)}: the upstream id ${upstreamProblem}`, MODEL_EXAMPLE);
    }
    return {
      id,
      ...(contextWindow ? { contextWindow } : {}),
      ...(capabilities ? { capabilities } : {}),
      deployments: [
        {
          provider,
          ...(upstreamId ? { upstreamId } : {}),
          ...(options.free ? { price: { input: 0, output: 0 } } : {}),
        },
      ],
    };
  });
}

const CAPABILITY_NAME = /^[a-z][a-z0-9_]*$/;

/**
 * The capability list the --capability flags declare, `text` always in it; undefined when none was given (the
 * catalog then assumes text, tools and json). A declared list is exact: it is how a user says a model sees images,
 * or that it does not take tools.
 */
function modelCapabilities(names: string[]): string[] | undefined {
  if (!names.length) return undefined;
  for (const name of names) {
    if (!CAPABILITY_NAME.test(name))
      throw new UsageError(
        `--capability takes a name like vision or tools, got "${name}"`,
        'e.g. --capability tools --capability vision',
      );
    if (!KNOWN_CAPABILITIES.includes(name)) {
      throw new UsageError(
        `--capability ${name}: not a capability llm-gateway knows`,
        `use one of ${KNOWN_CAPABILITIES.join(', ')}`,
      );
    }
  }
  return [...new Set(['text', ...names])];
}

/** The user's models with `added` in place of their earlier versions served only by this provider. */
function mergeModels(models: ModelData[], provider: string, added: ModelData[]): ModelData[] {
  const replaced = new Set(added.map((m) => m.id));
  const kept = models.filter((m) => !(replaced.has(m.id) && m.deployments?.every((d) => d.provider === provider)));
  return [...kept, ...added];
}

function checkUrl(value: string): string {
  const problem = baseUrlProblem(value);
  if (problem) throw new UsageError(`--base-url ${problem}`, 'e.g. --base-url https://open.bigmodel.cn/api/paas/v4');
  return value.replace(/\/+$/, '');
}
