// A pseudo-terminal running `llm-gateway chat`, driven the way a person uses it: wait for what is on the screen,
// type, read.
import assert from 'node:assert/strict';
import pty from 'node-pty';
import { binCommand } from './cli.ts';

/** Starts the binary on a pseudo-terminal `cols` wide (xterm-256color), the way a person at a terminal runs it. */
export function ptyBin(
  args: string[],
  env: NodeJS.ProcessEnv,
  size: { cols: number; rows: number; cwd?: string },
): pty.IPty {
  const [program, argv] = binCommand(args);
  return pty.spawn(program, argv, { name: 'xterm-256color', ...size, env: env as Record<string, string> });
}

// eslint-disable-next-line no-control-regex
const CONTROL = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007]*\u0007|\r/g;

export class Terminal {
  private raw = '';
  private mark = 0;
  readonly exited: Promise<number>;
  private readonly term: pty.IPty;

  constructor(env: NodeJS.ProcessEnv, cwd: string, args: string[] = []) {
    // A person at a terminal, even when the suite itself runs under CI=true (which turns spinners off).
    const { CI: _ci, ...personal } = env;
    this.term = ptyBin(['chat', ...args], { ...personal, TERM: 'xterm-256color' }, { cols: 120, rows: 40, cwd });
    this.term.onData((data) => (this.raw += data));
    this.exited = new Promise((resolve) => this.term.onExit(({ exitCode }) => resolve(exitCode)));
  }

  /** Everything shown since the last thing typed, as text without escape codes. */
  get screen(): string {
    return this.raw.slice(this.mark).replace(CONTROL, '');
  }

  get everything(): string {
    return this.raw;
  }

  /** Types (or pastes: one write) `text`; what follows on screen is matched from here on. */
  type(text: string, { keepMark = false } = {}): void {
    if (!keepMark) this.mark = this.raw.length;
    this.term.write(text);
  }

  async waitFor(pattern: RegExp, timeoutMs = 60_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (!pattern.test(this.screen)) {
      if (Date.now() > deadline) assert.fail(`waited ${timeoutMs} ms for ${pattern} on the screen:\n${this.screen}`);
      await new Promise((r) => setTimeout(r, 15));
    }
    return this.screen;
  }

  /** Types a line and waits for the prompt to come back after `pattern`. */
  async ask(line: string, pattern: RegExp): Promise<string> {
    this.type(`${line}\r`);
    return this.waitFor(new RegExp(`${pattern.source}[\\s\\S]*› $`));
  }

  /** Resizes the terminal, as a person dragging its window does (the program gets SIGWINCH). */
  resize(cols: number, rows = 40): void {
    this.mark = this.raw.length;
    this.term.resize(cols, rows);
  }

  kill(): void {
    try {
      this.term.kill();
    } catch {
      // already gone
    }
  }
}
