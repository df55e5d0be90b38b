// The one place a failure becomes text on stderr and an exit code. Expected failures (GatewayError) print their
// message and hint (worded by error-text.ts from the failure's code and data); anything else is a bug: one line,
// and the stack only with DEBUG set. Every known key is scrubbed from what is printed, as a last line of defence.
import { GatewayError, withoutSecrets } from '../../core/errors.ts';
import { shortQuoted, visibleText } from '../../lib/visible-text.ts';
import type { Context } from './context.ts';
import { failureText } from './error-text.ts';
import { ExitCode, exitCodeOf } from './exit-codes.ts';
import { terminalSafe } from './output.ts';

export function reportFailure(context: Context, err: unknown): number {
  const style = context.out.errStyle;
  const secrets = knownSecrets(context);
  // Upstream text can carry anything: no key, and no control sequence, reaches the terminal; an invisible character
  // a message quotes is named (<U+FEFF>), never printed; a long value it quotes is cut to its start and length.
  const clean = (text: string) => terminalSafe(visibleText(shortQuoted(withoutSecrets(text, secrets))));
  if (err instanceof GatewayError) {
    const { message, hint } = failureText(err);
    context.out.note(`${style.red('error:')} ${clean(message)}`);
    if (hint) context.out.note(`${style.dim('hint:')} ${clean(hint)}`);
    return exitCodeOf(err);
  }
  const message = err instanceof Error ? err.message : String(err);
  context.out.note(`${style.red('llm-gateway: unexpected error:')} ${clean(message)}`);
  if (context.runtime.env.DEBUG && err instanceof Error && err.stack) context.out.note(clean(err.stack));
  else context.out.note(style.dim('this is a bug; run again with DEBUG=1 to see where it happened'));
  return ExitCode.failure;
}

/** A message with every known key cut out, for any output that may carry upstream text. */
export function safeMessage(context: Context, text: string): string {
  return withoutSecrets(text, knownSecrets(context));
}

/** Keys from the environment and the key file; reading them must not itself fail the report. */
function knownSecrets(context: Context): string[] {
  const secrets = Object.entries(context.runtime.env)
    .filter(([name, value]) => value && /(_API_KEY|_AUTH_TOKEN)$/.test(name))
    .map(([, value]) => value as string);
  try {
    secrets.push(...Object.values(context.runtime.storedKeys()).map((k) => k.key), ...context.runtime.runKeys.values());
  } catch {
    // a broken key file is reported elsewhere; there is nothing in it we could print anyway
  }
  return secrets;
}
