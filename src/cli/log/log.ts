// `llm-gateway log`: the last requests, from chat and serve alike — when, from where, who answered, tokens, time
// taken, how it ended and what was moved past — one line each (or one JSON object per line), oldest first.
// `--follow` keeps printing requests as they are logged, by any process (on any host, with a shared database: it
// polls there as it does ledger.db), until interrupted.
import { UsageError } from '../../core/errors.ts';
import { requestJson, type LoggedRequest } from '../../core/request-record.ts';
import type { Context } from '../common/context.ts';
import { groupThousands } from '../common/format.ts';
import { parsePositiveInt } from '../common/options.ts';
import type { Styles } from '../common/output.ts';
import { visibleText } from '../../lib/visible-text.ts';
import { terminalSafe } from '../../lib/terminal-safe.ts';

export interface LogOptions {
  lines: string;
  follow?: boolean;
  json?: boolean;
  cid?: string;
  /** How often --follow looks for new requests, in milliseconds. */
  pollMs: string;
}

/** Requests read per look while following: a burst larger than this is read over several looks, none lost. */
const FOLLOW_BATCH = 500;

export async function logCommand(context: Context, options: LogOptions): Promise<void> {
  const limit = parsePositiveInt(options.lines, '-n, --lines');
  const pollMs = parsePositiveInt(options.pollMs, '--poll-ms');
  if (options.cid !== undefined && !options.cid.trim())
    throw new UsageError('--cid needs a conversation id', 'e.g. --cid notes (chat --json prints it as conversationId)');
  const conversationId = options.cid?.trim();
  const { runtime, out } = context;
  const print = (entry: LoggedRequest) =>
    options.json ? out.stdout.write(`${JSON.stringify(requestJson(entry))}\n`) : out.print(lineOf(entry, out.style));
  // No ledger yet: nothing was asked; following waits for the first request without creating the file.
  const read = async (limit: number, afterSeq?: number) =>
    runtime.hasLedger() ? (await runtime.activity()).recent({ limit, afterSeq, conversationId }) : [];
  let last = 0;
  for (const entry of await read(limit)) {
    print(entry);
    last = entry.seq;
  }
  if (!options.follow) return;
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const stopped = AbortSignal.any([stop.signal, context.outputClosed]);
  try {
    while (!stopped.aborted) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pollMs);
        stopped.addEventListener(
          'abort',
          () => {
            clearTimeout(timer);
            resolve();
          },
          { once: true },
        );
      });
      if (stopped.aborted) break;
      const batch = await read(FOLLOW_BATCH, last);
      for (const entry of batch) {
        print(entry);
        last = entry.seq;
      }
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** `2026-11-26 04:00:00  chat  llama-3.1-8b-instant (groq)  12+40 tokens  812 ms  ok  after gpt-4o (openai): rate_limit` */
function lineOf(e: LoggedRequest, style: Styles): string {
  const outcome = e.outcome === 'ok' ? style.green('ok') : style.red(e.error ? `${e.outcome}: ${e.error}` : e.outcome);
  const parts = [
    style.dim(new Date(e.at).toISOString().slice(0, 19).replace('T', ' ')),
    e.client ? `${e.origin} ${e.client}` : e.origin,
    e.model ? `${style.bold(e.model)} (${e.provider})` : '—',
    `${groupThousands(e.inputTokens)}+${groupThousands(e.outputTokens)} tokens`,
    `${groupThousands(e.ms)} ms`,
    outcome,
  ];
  if (e.fallbacks.length)
    parts.push(`after ${e.fallbacks.map((f) => `${f.model} (${f.provider}): ${f.code}`).join(', ')}`);
  if (e.conversationId) parts.push(style.dim(`cid ${e.conversationId}`));
  // Model ids and clients come from settings and HTTP clients: nothing in them may drive the terminal.
  return terminalSafe(visibleText(parts.join('  ')));
}
