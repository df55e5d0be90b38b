// `chat --schema`: the answer is JSON valid against the caller's schema, or the run fails. The request asks the
// provider for it (responseFormat json-schema, which providers that support it enforce); the answer is checked
// here whatever the provider promised. A non-compliant answer gets ONE repair attempt — the answer goes back to the
// model with what is wrong and the schema — and if that is still invalid the run ends with exit 1 and the errors.
// The answer is never streamed: a half-written or invalid JSON text must not reach a script as if it were the result.
import { GatewayError, type FailureOf } from '../../core/errors.ts';
import { PartialAnswerError, type ChatResult, type Gateway } from '../../core/gateway.ts';
import type { ChatRequest, Message } from '../../core/types.ts';
import { runTurn, type TurnOptions } from './turn.ts';
import type { Context } from '../common/context.ts';
import { terminalSafe } from '../common/output.ts';
import type { SchemaCheck } from './schema-check.ts';

export interface SchemaAnswer {
  /** The last call's answer, its usage the sum over every call made (what the run cost). */
  result: ChatResult;
  /** The valid JSON text (without a Markdown fence the model may have put around it). */
  json: string;
  /** The first answer was invalid and the repair fixed it. */
  repaired: boolean;
}

/** The answer was still not valid after the repair attempt; `answer` is the last one (usage summed, as above). */
export class InvalidAnswerError extends GatewayError<FailureOf<'answer_invalid'>> {
  constructor(
    readonly answer: ChatResult,
    errors: string[],
  ) {
    super(
      { code: 'answer_invalid', model: answer.model, provider: answer.provider, errors },
      `the answer of ${answer.model} (${answer.provider}) is not valid against the schema, after one repair attempt: ${errors.join('; ')}`,
      'simplify the schema, say in the prompt what each field holds, or try another model with -m',
    );
  }
}

/** Longest stretch of an invalid answer shown on stderr. */
const SHOWN_CHARS = 1_000;

export async function answerWithSchema(
  context: Context,
  gateway: Gateway,
  request: ChatRequest,
  schema: Record<string, unknown>,
  checker: SchemaCheck,
  quiet: boolean,
  log?: TurnOptions['log'],
): Promise<SchemaAnswer> {
  const asked: ChatRequest = { ...request, responseFormat: { type: 'json-schema', name: 'answer', schema } };
  // Buffered (no stream) and nothing printed on stdout until the answer has passed.
  const turn = { stream: false, json: true, quiet, log };
  const first = await runTurn(context, gateway, asked, turn);
  const verdict = checker.check(first.text);
  if (verdict.valid) return { result: first, json: verdict.json, repaired: false };

  if (!quiet)
    context.out.note(
      `the answer is not valid against the schema (${terminalSafe(verdict.errors.join('; '))}); asking once more`,
    );
  const repair: Message[] = [
    { role: 'assistant', content: first.text },
    { role: 'user', content: repairPrompt(verdict.errors, schema) },
  ];
  const second = await runTurn(context, gateway, { ...asked, messages: [...asked.messages, ...repair] }, turn).catch(
    (err: unknown) => {
      throw withEarlierUsage(err, first);
    },
  );
  const result = summed(first, second);
  const again = checker.check(second.text);
  if (again.valid) return { result, json: again.json, repaired: true };
  if (!quiet) context.out.note(`its last answer:\n${terminalSafe(cut(second.text))}`);
  throw new InvalidAnswerError(result, again.errors);
}

/** What the model is told when its answer did not pass. */
export function repairPrompt(errors: string[], schema: Record<string, unknown>): string {
  return [
    `Your answer is not valid: ${errors.join('; ')}.`,
    'Reply with the corrected JSON only — no explanation, no Markdown code fence — valid against this JSON Schema:',
    JSON.stringify(schema),
  ].join('\n');
}

/** The run's cost over both calls, on the last call's answer; fallbacks of both, in order. */
function summed(first: ChatResult, last: ChatResult): ChatResult {
  return {
    ...last,
    usage: {
      inputTokens: first.usage.inputTokens + last.usage.inputTokens,
      outputTokens: first.usage.outputTokens + last.usage.outputTokens,
      estimated: first.usage.estimated || last.usage.estimated,
    },
    fallbacks: [...first.fallbacks, ...last.fallbacks],
  };
}

/** A repair call that failed: the first call's usage is still part of what the run spent (a cut answer carries it). */
function withEarlierUsage(err: unknown, first: ChatResult): unknown {
  return err instanceof PartialAnswerError ? new PartialAnswerError(err.upstream, summed(first, err.partial)) : err;
}

function cut(text: string): string {
  return text.length > SHOWN_CHARS ? `${text.slice(0, SHOWN_CHARS)}…` : text;
}
