// The key a client must present. LLM_GATEWAY_SERVER_KEY when set (the only way to allow a non-loopback bind: a key
// someone chose on purpose), else one generated on first start — 256 random bits — kept in the config directory
// with mode 0600, and read again on every later start. A broken key file is reported, never replaced. The file is
// read under keys.json's rules (store/config-trust.ts): one another user owns or can write is refused — they could
// have planted a key of their own — and one others can read is used with a warning (they can use the server).
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { ConfigError, UsageError } from '../core/errors.ts';
import { keysReadableByOthers, readTrustedText } from '../store/config-trust.ts';
import { writePrivateFileAtomic } from '../store/files.ts';
import { SERVER_KEY_FILE } from '../store/paths.ts';

export const SERVER_KEY_ENV = 'LLM_GATEWAY_SERVER_KEY';
/** 128 bits written as base64url is 22 characters; anything shorter is guessable. */
const MIN_LENGTH = 22;

export interface AccessKey {
  key: string;
  /** Where it came from, safe to print. */
  source: 'env' | 'file';
  /** The file holding it (source 'file'). */
  path?: string;
  /** True when this start generated it. */
  created: boolean;
  /** The file's mode when other users can read it (then they can use the server as its owner). */
  readableByOthers?: number;
}

export function loadAccessKey(env: NodeJS.ProcessEnv, configDir: string): AccessKey {
  const fromEnv = env[SERVER_KEY_ENV];
  if (fromEnv !== undefined && fromEnv !== '') {
    if (!isUsableKey(fromEnv.trim())) {
      throw new UsageError(
        `${SERVER_KEY_ENV} is too weak or not one line of printable characters (it needs at least ${MIN_LENGTH})`,
        `e.g. export ${SERVER_KEY_ENV}="$(openssl rand -base64 32)"`,
      );
    }
    return { key: fromEnv.trim(), source: 'env', created: false };
  }
  const path = join(configDir, SERVER_KEY_FILE);
  const stored = readTrustedText(path);
  if (stored !== undefined) {
    const key = stored.trim();
    if (!isUsableKey(key)) {
      throw new ConfigError(
        `the server key file ${path} does not hold a usable key`,
        `delete it to have a new one generated on the next start, or set ${SERVER_KEY_ENV}`,
        path,
      );
    }
    const readableByOthers = keysReadableByOthers(path);
    return { key, source: 'file', path, created: false, ...(readableByOthers ? { readableByOthers } : {}) };
  }
  const key = `llmgw-${randomBytes(32).toString('base64url')}`;
  writePrivateFileAtomic(path, `${key}\n`);
  return { key, source: 'file', path, created: true };
}

function isUsableKey(key: string): boolean {
  return key.length >= MIN_LENGTH && /^[\x21-\x7e]+$/.test(key);
}
