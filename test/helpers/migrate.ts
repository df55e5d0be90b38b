// The project's sample api-gateway installation (test/fixtures/api-gateway, read-only), copied into a temp directory
// per test so a variant can change one file; and a byte-for-byte picture of a config directory.
import { chmodSync, cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIXTURE = fileURLToPath(new URL('../fixtures/api-gateway', import.meta.url));

/** A writable copy of the sample installation. */
export function copyFixture(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'llmgw-apigw-')), 'api-gateway');
  cpSync(FIXTURE, dir, { recursive: true });
  const writable = (path: string) => {
    chmodSync(path, statSync(path).isDirectory() ? 0o755 : 0o644);
    if (statSync(path).isDirectory()) for (const name of readdirSync(path)) writable(join(path, name));
  };
  writable(dir);
  return dir;
}

/** Every file under `dir` (recursively) with its bytes, base64: two pictures are equal iff nothing changed. */
export function picture(dir: string): Record<string, string> {
  if (!existsSync(dir)) return {};
  const out: Record<string, string> = {};
  const walk = (sub: string) => {
    for (const name of readdirSync(join(dir, sub)).sort()) {
      const rel = sub ? join(sub, name) : name;
      if (statSync(join(dir, rel)).isDirectory()) walk(rel);
      else out[rel] = readFileSync(join(dir, rel)).toString('base64');
    }
  };
  walk('');
  return out;
}
