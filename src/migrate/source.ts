// An api-gateway installation on disk: `.env`, `data/quota.json` and `config.json`, each optional. Everything is
// read and parsed here, before the plan is made, so that a file that does not parse stops the migration while
// nothing has been written.
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UsageError } from '../core/errors.ts';
import { readTextIfExists } from '../store/files.ts';
import { readConfigFile, type OldConfig } from './config-file.ts';
import { parseEnvFile, type EnvEntry } from './env-file.ts';
import { readQuotaFile, type QuotaFileEntry } from './quota-file.ts';

export const SOURCE_FILES = { env: '.env', quota: join('data', 'quota.json'), config: 'config.json' } as const;

export interface Source {
  dir: string;
  env?: { path: string; entries: EnvEntry[] };
  quota?: { path: string; entries: QuotaFileEntry[] };
  config?: { path: string; config: OldConfig };
}

export function readSource(dirArg: string): Source {
  const dir = resolve(dirArg);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new UsageError(`${dir} is not a directory`, 'give the api-gateway installation with --from DIR');
  }
  const source: Source = { dir };
  const read = (name: string) => {
    const path = join(dir, name);
    // A named pipe nobody writes to would block the read for ever; a device could be endless: files only.
    if (existsSync(path) && !statSync(path).isFile()) {
      throw new UsageError(
        `${path} is not a regular file (a named pipe, a device or a directory): migrate reads files only`,
        'copy what it holds into a plain file of that name',
      );
    }
    const text = readTextIfExists(path);
    return text === undefined ? undefined : { path, text };
  };
  const env = read(SOURCE_FILES.env);
  if (env) source.env = { path: env.path, entries: parseEnvFile(env.path, env.text) };
  const quota = read(SOURCE_FILES.quota);
  if (quota) source.quota = { path: quota.path, entries: readQuotaFile(quota.path, quota.text) };
  const config = read(SOURCE_FILES.config);
  if (config) source.config = { path: config.path, config: readConfigFile(config.path, config.text) };
  if (!env && !quota && !config) {
    throw new UsageError(
      `${dir} holds no api-gateway installation: none of .env, data/quota.json, config.json`,
      'run it in the api-gateway directory, or give that directory with --from DIR',
    );
  }
  return source;
}
