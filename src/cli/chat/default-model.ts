// The model `chat` uses when none is named, one-shot and interactive alike: settings.json's defaultModel, checked
// against the catalog so that a stale one is reported as the settings problem it is, before anything is asked.
import { resolveModel } from '../../core/catalog.ts';
import { ConfigError, LookupError } from '../../core/errors.ts';
import type { Context } from '../common/context.ts';
import { failureText } from '../common/error-text.ts';

/** `defaultModel` from settings (`auto`, an id or an alias), or undefined when none is set. */
export function defaultModel(context: Context): string | undefined {
  const model = context.runtime.settings().defaultModel;
  if (!model || model === 'auto') return model;
  try {
    resolveModel(context.runtime.catalog(), model);
  } catch (err) {
    if (!(err instanceof LookupError)) throw err;
    throw new ConfigError(
      `settings file ${context.runtime.paths.settings}: defaultModel ${err.message}`,
      [failureText(err).hint, 'set defaultModel to a known model or "auto", or pass -m'].filter(Boolean).join('; '),
      context.runtime.paths.settings,
    );
  }
  return model;
}
