// doctor's check for temp files an atomic write left behind (store/files.ts writes `<file>.tmp-<pid>-<ms>` and
// renames it over the file): a process killed between the two leaves one, while the file itself is still whole.
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { visibleLine } from '../../lib/visible-text.ts';
import type { StorePaths } from '../../store/paths.ts';
import type { Check } from './check.ts';

const TEMP = /\.tmp-(\d+)-\d+$/;

/** Whether process `pid` is alive: a temp file of a running write is not left over. */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The temp files of writes that died before their rename, if any; --repair removes them (the files are whole). */
export function leftoverTempsCheck(paths: StorePaths): Check | undefined {
  const left = readdirSync(paths.dir).filter((name) => {
    const pid = TEMP.exec(name)?.[1];
    return pid !== undefined && !running(Number(pid));
  });
  if (left.length === 0) return undefined;
  const named = left.map(visibleLine).join(', ');
  return {
    path: paths.dir,
    problem: `temp files of an interrupted write are left: ${named} (the files they were to replace are whole)`,
    repair: () => {
      for (const name of left) rmSync(join(paths.dir, name), { force: true });
      return `removed ${named}`;
    },
  };
}
