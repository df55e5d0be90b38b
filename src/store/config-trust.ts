// The config directory is trusted only when it is private. Another local user who can write to it (or to
// settings.json in it) can point a provider's base URL at a server of theirs, and the victim's next `chat` sends its
// key there; one who owns it can do the same by changing its mode. So settings and keys are read only from a
// directory, and files, that belong to us and that nobody else can write: anything else is refused (exit 3) with the
// path and what makes it unsafe. As ssh does with ~/.ssh, files owned by root are trusted as well: root can replace
// any file anyway, so trusting it gives nothing away. Running as root, only root's own files are trusted: a directory
// of another user's is refused, not read (whoever owns it may have planted what root would act on).
//
// Only the config directory itself is checked, not its parents: a private directory under a sticky /tmp is safe, as
// nobody else can rename or replace an entry they do not own there. Systems without uids (Windows) are not checked.
import { closeSync, fstatSync, statSync, type Stats } from 'node:fs';
import { dirname } from 'node:path';
import { ConfigError } from '../core/errors.ts';
import { cannotRead, foreignOwnerHint, openIfExists, readBoundedText } from './files.ts';
import { errnoCode } from './fs-failure.ts';
import { octalMode, sharedDirHint, sharedDirReason } from './shared-dir.ts';

const ROOT_UID = 0;
/** Group or others may write. */
const WRITABLE_BY_OTHERS = 0o022;
/** Group or others may read. */
const READABLE_BY_OTHERS = 0o044;

export type TrustProblem =
  | { kind: 'not_directory'; path: string }
  | { kind: 'foreign_owner'; path: string; owner: number; me: number }
  | { kind: 'writable_by_others'; path: string; mode: number; shared?: string };

/** Why `path` (with `stat`) cannot be trusted, or undefined when it can. `me`: our uid (undefined: not checked). */
export function trustProblem(
  path: string,
  stat: Stats,
  expectDirectory: boolean,
  me = process.getuid?.(),
): TrustProblem | undefined {
  if (expectDirectory && !stat.isDirectory()) return { kind: 'not_directory', path };
  if (me === undefined) return undefined;
  if (stat.uid !== me && stat.uid !== ROOT_UID) return { kind: 'foreign_owner', path, owner: stat.uid, me };
  if (stat.mode & WRITABLE_BY_OTHERS) {
    // A shared directory (/tmp) must not be made private: the hint then says to use another one.
    const shared = stat.isDirectory() ? sharedDirReason(path, stat) : undefined;
    return { kind: 'writable_by_others', path, mode: stat.mode & 0o7777, shared };
  }
  return undefined;
}

/** What is wrong with the path, and why that matters (the path itself is not repeated). */
export function trustProblemText(problem: TrustProblem): string {
  switch (problem.kind) {
    case 'not_directory':
      return 'is not a directory';
    case 'foreign_owner':
      return `belongs to uid ${problem.owner}, not to you (uid ${problem.me}): its owner can change your settings and keys`;
    case 'writable_by_others':
      return `can be written by other users (mode ${octalMode(problem.mode)}): they could have replaced your settings or keys`;
  }
}

/** What to do about it; ownership is not something `doctor --repair` can change. */
export function trustHint(problem: TrustProblem): string {
  switch (problem.kind) {
    case 'not_directory':
      return 'the config directory must be a directory: move that file away, or set LLM_GATEWAY_HOME to a directory of your own';
    case 'foreign_owner':
      return problem.me === ROOT_UID
        ? "as root, llm-gateway reads only files root owns (as ssh does): run it as the user who owns them, or set LLM_GATEWAY_HOME to a directory of root's own"
        : `\`llm-gateway doctor\` lists what is unsafe, but --repair cannot change an owner: check the files, then ${foreignOwnerHint(problem.path, problem.me).replace('sudo chown ', 'sudo chown -R ')}`;
    case 'writable_by_others':
      if (problem.shared) return `${problem.path} is shared: ${problem.shared}; ${sharedDirHint(problem.path)}`;
      return `run \`llm-gateway doctor --repair\` to make it private (0700 for the directory, 0600 for files), then check that settings.json and keys.json hold what you wrote`;
  }
}

function refuse(problem: TrustProblem | undefined): void {
  if (!problem) return;
  const text = `${problem.path} ${trustProblemText(problem)}`;
  const message =
    problem.kind === 'not_directory'
      ? `${text}, so no settings or keys can be read from it`
      : `refusing to read settings or keys: ${text}`;
  throw new ConfigError(message, trustHint(problem), problem.path);
}

/**
 * The text of settings.json or keys.json at `path`, or undefined when it does not exist — read only when its
 * directory and the file itself can be trusted. The file is checked on the descriptor it is read from, so what is
 * checked is what is read. Files over 4 MiB are refused by their size, unread (files.ts).
 */
export function readTrustedText(path: string): string | undefined {
  const dir = dirname(path);
  let dirStat: Stats;
  try {
    dirStat = statSync(dir);
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return undefined; // nothing written yet: nothing to trust or distrust
    throw cannotRead(err, dir);
  }
  refuse(trustProblem(dir, dirStat, true));
  const fd = openIfExists(path);
  if (fd === undefined) return undefined;
  try {
    refuse(trustProblem(path, fstatSync(fd), false));
    return readBoundedText(fd, path); // bounded: a 300 MB settings.json took 77 s and 21 GB read whole
  } catch (err) {
    throw err instanceof ConfigError ? err : cannotRead(err, path);
  } finally {
    closeSync(fd);
  }
}

/** The mode of a key file that group or others can read (a warning, not a refusal: nobody could have changed it). */
export function keysReadableByOthers(path: string): number | undefined {
  if (process.getuid?.() === undefined) return undefined;
  try {
    const mode = statSync(path).mode & 0o777;
    return mode & READABLE_BY_OTHERS ? mode : undefined;
  } catch {
    return undefined; // missing or unreadable: reading it says so
  }
}
