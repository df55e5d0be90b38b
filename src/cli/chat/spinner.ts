// A spinner on stderr while waiting for the first token, on terminals only; ora is loaded only when one shows.
import { colorEnabled, type Stream } from '../common/output.ts';

export interface Spinner {
  text(text: string): void;
  stop(): void;
}

export async function startSpinner(stream: Stream, env: NodeJS.ProcessEnv, text: string): Promise<Spinner | undefined> {
  // A terminal that reports no width (a 0x0 pty from `script` or `ssh -tt`) sends ora into an endless redraw.
  if (!stream.isTTY || !stream.columns || env.TERM === 'dumb' || env.CI) return undefined;
  const { default: ora } = await import('ora');
  const spinner = ora({
    text,
    stream: stream as NodeJS.WritableStream,
    color: colorEnabled(stream, env) ? 'cyan' : (false as never),
    discardStdin: false,
  }).start();
  let stopped = false;
  return {
    text: (t) => {
      if (!stopped) spinner.text = t;
    },
    stop: () => {
      if (stopped) return;
      stopped = true;
      spinner.stop();
    },
  };
}
