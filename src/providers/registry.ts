// Every wire protocol the gateway speaks, in one table typed over `Protocol`: a protocol named in core/types.ts
// without an entry here, or an entry for a name core does not know, fails to compile. Settings validation and the
// CLI's `--protocol` choices read the same names; adapters are loaded from here and from nowhere else.
// Adding a protocol: its name in PROTOCOL_NAMES, an adapter module in this folder, and one entry below.
import { ConfigError } from '../core/errors.ts';
import { PROTOCOL_NAMES, type Adapter, type Protocol } from '../core/types.ts';

export interface ProtocolEntry {
  /** The adapter, imported on first use: a run that only talks to Groq never loads the Anthropic SDK. */
  load(): Promise<Adapter>;
}

export const PROTOCOLS = {
  openai: {
    load: async () => (await import('./openai-compatible.ts')).openAiCompatibleAdapter,
  },
  anthropic: {
    load: async () => (await import('./anthropic.ts')).anthropicAdapter,
  },
} as const satisfies Record<Protocol, ProtocolEntry>;

/** The entry of a protocol; a name without one is an error, never quietly some other protocol. */
export function protocolEntry(protocol: string): ProtocolEntry {
  if (!Object.hasOwn(PROTOCOLS, protocol)) {
    throw new ConfigError(
      `no adapter speaks the "${protocol}" protocol`,
      `set the provider's protocol to one of: ${PROTOCOL_NAMES.join(', ')}`,
    );
  }
  return PROTOCOLS[protocol as Protocol];
}

const loaded = new Map<Protocol, Promise<Adapter>>();

/** The protocol's adapter, imported once per process. */
export async function loadAdapter(protocol: Protocol): Promise<Adapter> {
  let adapter = loaded.get(protocol);
  if (!adapter) {
    adapter = protocolEntry(protocol).load();
    loaded.set(protocol, adapter);
  }
  return adapter;
}
