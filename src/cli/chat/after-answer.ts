// What went wrong after the answer arrived, said as warnings: the answer stands either way, so the run ends 0 and no
// script is told to ask again (which would pay for it twice).
import { ConfigError } from '../../core/errors.ts';
import type { ChatResult } from '../../core/gateway.ts';
import type { Context } from '../common/context.ts';
import { safeMessage } from '../common/report-failure.ts';
import { terminalSafe } from '../common/output.ts';

/** Says, on stderr, that the answer's usage could not be recorded (the disk filled mid-answer); once per answer. */
export function warnUsageNotRecorded(context: Context, result: ChatResult): void {
  if (result.usageNotRecorded === undefined) return;
  warn(
    context,
    `its usage could not be recorded: ${result.usageNotRecorded}`,
    'the answer was delivered and paid for: do not run the command again to get it; the next call stops before it is sent until the ledger can be written',
  );
}

/** Says, on stderr, that the provider's token counts were not believed and the call was estimated instead. */
export function warnUsageNotBelieved(context: Context, result: ChatResult): void {
  if (result.usageNotBelieved === undefined) return;
  warn(context, result.usageNotBelieved, 'the call was recorded with estimated token counts instead');
}

/**
 * Stores the exchange with `store`; a ledger that cannot take it (a full disk) costs the conversation its turn, not
 * the user the answer: a warning, and false.
 */
export function saveOrWarn(context: Context, result: ChatResult, store: () => void): boolean {
  try {
    store();
    return true;
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    const recorded = result.usageNotRecorded === undefined ? ' and its usage recorded' : '';
    warn(
      context,
      `the conversation could not be saved: ${err.message}`,
      `the answer was delivered${recorded}: do not run the command again to get it`,
    );
    return false;
  }
}

function warn(context: Context, message: string, hint: string): void {
  const style = context.out.errStyle;
  context.out.note(`${style.yellow('warning:')} ${terminalSafe(safeMessage(context, message))}`);
  context.out.note(`${style.dim('hint:')} ${hint}`);
}
