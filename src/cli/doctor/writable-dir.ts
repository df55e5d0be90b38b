// doctor's check that the config directory can be written: on a read-only mount (or a full disk) every command that
// records usage or changes settings fails, yet doctor said "ok", having only read. Tried for real — a file made and
// removed at once — since neither a mode nor access(2) tells a read-only mount from root's way past modes.
import { closeSync, openSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describeErrno, errnoCode } from '../../store/fs-failure.ts';
import type { StorePaths } from '../../store/paths.ts';
import type { Check } from './check.ts';

/** The probe's name: a dot file, so nothing lists it, and removed before doctor goes on. */
export const WRITE_PROBE = '.doctor-write-check';

export function writableDirCheck(paths: StorePaths): Check | undefined {
  const probe = join(paths.dir, `${WRITE_PROBE}-${process.pid}`);
  try {
    closeSync(openSync(probe, 'wx', 0o600));
  } catch (err) {
    const code = errnoCode(err);
    if (code === undefined) throw err;
    if (code === 'EEXIST') return undefined; // a probe of ours left by a killed doctor: the directory takes files
    return {
      path: paths.dir,
      problem: `cannot be written (${describeErrno(code)}): commands that record usage or change settings will fail`,
      cannotRepair:
        code === 'ENOSPC' || code === 'EDQUOT'
          ? 'free some space on that disk'
          : 'make it writable (remount it read-write, or fix its mode), or set LLM_GATEWAY_HOME to a writable directory of your own',
    };
  }
  rmSync(probe, { force: true });
  return undefined;
}
