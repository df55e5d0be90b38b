// Where llm-gateway keeps its files: LLM_GATEWAY_HOME, else the platform's user config directory.
import { homedir } from 'node:os';
import { join } from 'node:path';

export const SERVER_KEY_FILE = 'server-key';

export interface StorePaths {
  dir: string;
  settings: string;
  keys: string;
  ledger: string;
  history: string;
  /** The key `serve` generated for its clients. */
  serverKey: string;
}

/** On Linux `$XDG_CONFIG_HOME/llm-gateway` (`~/.config/llm-gateway`); macOS and Windows use their own places. */
export function configDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.LLM_GATEWAY_HOME) return env.LLM_GATEWAY_HOME;
  const home = env.HOME || homedir();
  if (platform === 'darwin') return join(home, 'Library', 'Preferences', 'llm-gateway');
  if (platform === 'win32') return join(env.APPDATA || join(home, 'AppData', 'Roaming'), 'llm-gateway', 'Config');
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), 'llm-gateway');
}

export function storePaths(dir: string): StorePaths {
  return {
    dir,
    settings: join(dir, 'settings.json'),
    keys: join(dir, 'keys.json'),
    ledger: join(dir, 'ledger.db'),
    history: join(dir, 'chat-history'),
    serverKey: join(dir, SERVER_KEY_FILE),
  };
}
