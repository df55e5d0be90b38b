// doctor's privacy checks: is the config directory a directory, are it and its files ours, and can nobody else
// read or write them. --repair tightens modes (0700 / 0600); it cannot give back a file another user owns, and says
// so. The rules are the store's (store/config-trust.ts): what a command refuses to read, doctor reports. A shared
// directory (sticky, like /tmp, or holding files llm-gateway did not make) is never chmod'ed: that would lock its
// other users out (store/shared-dir.ts); the user is told to set LLM_GATEWAY_HOME to a directory of their own.
import { chmodSync, existsSync, statSync } from 'node:fs';
import { foreignOwnerHint, PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../../store/files.ts';
import { trustProblem, trustProblemText } from '../../store/config-trust.ts';
import { octalMode, sharedDirHint, sharedDirReason } from '../../store/shared-dir.ts';
import type { StorePaths } from '../../store/paths.ts';
import type { Check } from './check.ts';

export interface PrivacyReport {
  checks: Check[];
  /** False when the directory is not one, or not ours: nothing inside it is checked or repaired. */
  usable: boolean;
}

export function privacyChecks(paths: StorePaths): PrivacyReport {
  const dir = statSync(paths.dir);
  const problem = trustProblem(paths.dir, dir, true);
  if (problem?.kind === 'not_directory') {
    return {
      usable: false,
      checks: [
        {
          path: paths.dir,
          problem: 'is not a directory, but it is where settings, keys and the ledger would go',
          cannotRepair: 'doctor leaves it alone; move it away, or set LLM_GATEWAY_HOME to a directory of your own',
        },
      ],
    };
  }
  const dirCheck = entryCheck(paths.dir, PRIVATE_DIR_MODE);
  if (problem?.kind === 'foreign_owner') return { usable: false, checks: [dirCheck] };
  const files = [paths.settings, paths.keys, paths.ledger, paths.serverKey].filter((path) => existsSync(path));
  return { usable: true, checks: [dirCheck, ...files.map((path) => entryCheck(path, PRIVATE_FILE_MODE))] };
}

function entryCheck(path: string, wanted: number): Check {
  const stat = statSync(path);
  const kind = stat.isDirectory() ? 'directory' : 'file';
  const problem = trustProblem(path, stat, false);
  if (problem?.kind === 'foreign_owner') {
    return {
      path,
      problem: trustProblemText(problem),
      cannotRepair: `doctor cannot change an owner: check what is in it, then ${foreignOwnerHint(path, problem.me)}`,
    };
  }
  if ((stat.mode & 0o077) === 0) return { path };
  const exposure =
    problem?.kind === 'writable_by_others'
      ? 'others can write to it, so settings and keys are not read from it'
      : 'others can read it';
  const found = `${kind} mode is ${octalMode(stat.mode)}, ${exposure} (should be ${wanted.toString(8)})`;
  const shared = stat.isDirectory() ? sharedDirReason(path, stat) : undefined;
  if (shared) return { path, problem: `${found}, but ${path} is shared: ${shared}`, cannotRepair: sharedDirHint(path) };
  return {
    path,
    problem: found,
    repair: () => {
      chmodSync(path, wanted);
      return `mode set to ${wanted.toString(8)}`;
    },
  };
}
