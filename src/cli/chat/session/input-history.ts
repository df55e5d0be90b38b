// The interactive session's input history, kept between sessions in the config directory: one line per entry, a
// message's newlines and backslashes escaped so a multi-line message stays one entry.
import { appendFileSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ensurePrivateDir, PRIVATE_FILE_MODE } from '../../../store/files.ts';

export const HISTORY_SIZE = 500;

export function loadHistory(path: string): string[] {
  try {
    // readline wants the newest first
    return readFileSync(path, 'utf8').split('\n').filter(Boolean).map(unescapeLine).reverse().slice(0, HISTORY_SIZE);
  } catch {
    return [];
  }
}

export function appendHistory(path: string, line: string): void {
  try {
    ensurePrivateDir(dirname(path));
    appendFileSync(path, `${line.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}\n`, { mode: PRIVATE_FILE_MODE });
  } catch {
    // history is a convenience: a read-only config directory must not stop the conversation
  }
}

const unescapeLine = (line: string) => line.replace(/\\(n|\\)/g, (_m, c: string) => (c === 'n' ? '\n' : '\\'));
