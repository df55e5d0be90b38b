// A provider's footprint in settings: its entry, its models' deployments and its free tiers. Removing or
// replacing a provider takes all of it, so nothing of the old one lingers under the new.
import type { Settings } from '../../store/settings.ts';

export function withoutProvider(settings: Settings, name: string): Settings {
  const { [name]: _removed, ...providers } = settings.providers ?? {};
  const models = (settings.models ?? [])
    .map((m) => ({ ...m, deployments: m.deployments?.filter((d) => d.provider !== name) }))
    .filter((m) => !m.deployments || m.deployments.length > 0);
  const freeTiers = (settings.freeTiers ?? []).filter((t) => t.provider !== name);
  return { ...settings, providers, models, freeTiers };
}
