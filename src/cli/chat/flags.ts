// The flags of `chat`, as commander hands them over and as one-shot and interactive chat use them once checked.
// Kept apart from both so that neither imports the other.
import { parseNumberInRange, parsePositiveInt, requireText } from '../common/options.ts';
import { UsageError } from '../../core/errors.ts';

/** `chat`'s options as commander parses them (declared in main.ts, which checks it against this type). */
export interface ChatOptions {
  model?: string;
  scenario?: string;
  system?: string;
  maxTokens?: string;
  temperature?: string;
  stream: boolean;
  json?: boolean;
  allowPaid?: boolean;
  explain?: boolean;
  continue?: boolean;
  cid?: string;
  log: boolean;
  quiet?: boolean;
  timeout?: string;
  apiKeyFile?: string;
  /** `-a, --attach`: files and image URLs, in order (attach.ts). */
  attach: string[];
  /** A JSON Schema, inline or a file, the answer must be valid against (schema-answer.ts). */
  schema?: string;
}

/** The numeric flags, checked. */
export interface ChatFlags {
  maxTokens?: number;
  temperature?: number;
  /** Seconds. */
  timeout?: number;
}

/**
 * Checks the flags (exit 2 with the valid range or an example) before anything else happens. An empty `-m` or
 * `--scenario` is refused: left alone it would mean the default, and the run would quietly pick another model.
 */
export function parseChatFlags(options: ChatOptions): ChatFlags {
  requireText(options.model, '--model', '-m auto, -m llama-3.1-8b-instant or -m groq:llama-3.1-8b-instant');
  requireText(options.scenario, '--scenario', '--scenario code');
  return {
    maxTokens: options.maxTokens === undefined ? undefined : parsePositiveInt(options.maxTokens, '--max-tokens'),
    temperature:
      options.temperature === undefined ? undefined : parseNumberInRange(options.temperature, '--temperature', 0, 2),
    timeout: options.timeout === undefined ? undefined : parseTimeout(options.timeout),
  };
}

/** A day: no provider is silent longer, and a timer of 2^31 ms or more fires at once (a 1 ms timeout). */
export const MAX_TIMEOUT_SECONDS = 86_400;

function parseTimeout(value: string): number {
  const seconds = parsePositiveInt(value, '--timeout');
  if (seconds > MAX_TIMEOUT_SECONDS)
    throw new UsageError(
      `--timeout must be at most ${MAX_TIMEOUT_SECONDS} seconds (a day), got "${value}"`,
      'e.g. --timeout 300',
    );
  return seconds;
}
