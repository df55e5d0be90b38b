// `llm-gateway chat`: a one-shot prompt (argument, stdin, or both), `--explain` for the route plan without a call,
// or an interactive session when both ends are a terminal and no prompt was given.
import { randomUUID } from 'node:crypto';
import { resolveModel } from '../../core/catalog.ts';
import { GatewayError, UsageError } from '../../core/errors.ts';
import { PartialAnswerError, type ChatResult } from '../../core/gateway.ts';
import { noCandidateError } from '../../core/gateway-errors.ts';
import type { ChatRequest, Message } from '../../core/types.ts';
import { parseChatFlags, type ChatOptions } from './flags.ts';
import type { Context } from '../common/context.ts';
import { runTurn } from './turn.ts';
import { defaultModel } from './default-model.ts';
import { openConversation, recordExchange } from './conversation-log.ts';
import { failureText } from '../common/error-text.ts';
import { printPlan } from './explain.ts';
import { ExitCode, exitCodeOf, QuietExit } from '../common/exit-codes.ts';
import { safeMessage } from '../common/report-failure.ts';
import { terminalSafe } from '../common/output.ts';
import { readKeyFromFile } from '../common/secret-input.ts';
import { storedAnswerLimit, storedText } from './stored-answer.ts';
import { composePrompt, readStdinText } from '../common/stdin.ts';
import { readAttachments, userContent } from './attach.ts';
import { readSchemaOption, schemaLabel } from './schema-source.ts';
import { compileSchema } from './schema-check.ts';
import { answerWithSchema, InvalidAnswerError } from './schema-answer.ts';
import { saveOrWarn } from './after-answer.ts';

export async function chatCommand(context: Context, words: string[], options: ChatOptions): Promise<void> {
  const run: RunState = {};
  try {
    await chat(context, words, options, run);
  } catch (err) {
    // A script asked for JSON: it gets one object on stdout whatever happened (the message also goes to stderr).
    if (options.json && !(err instanceof QuietExit) && !context.outputClosed.aborted)
      context.out.json(failureJson(context, err, run.conversationId, options.log && run.saved !== false));
    throw err;
  }
}

/** What the failure report needs to know of a run that got as far as a conversation. */
interface RunState {
  conversationId?: string;
  /** False once storing the exchange failed (a warning was printed): no conversation id to give. */
  saved?: boolean;
}

async function chat(context: Context, words: string[], options: ChatOptions, run: RunState): Promise<void> {
  const flags = parseChatFlags(options);
  const storeLimit = storedAnswerLimit(context.runtime.env);
  if (options.cid && options.continue) throw new UsageError('use either --continue or --cid, not both');
  // An empty id would silently mean "no conversation", as -m "" once meant auto.
  if (options.cid !== undefined && options.cid.trim() === '')
    throw new UsageError(
      '--cid needs a conversation id',
      'name one, e.g. --cid notes, or use -c to continue the last conversation',
    );
  const prompt = words.length ? words.join(' ') : undefined;
  // Bad attachments and schemas end the run here, before stdin is read or anything is sent.
  const attachments = await readAttachments(options.attach);
  const schema = options.schema === undefined ? undefined : await readSchemaOption(options.schema);
  const checker = schema && (await compileSchema(schema, schemaLabel(options.schema!)));
  const stdinIsTerminal = Boolean(context.stdin.isTTY);
  if (!prompt && stdinIsTerminal && !options.explain && attachments.length === 0) {
    if (context.out.stdout.isTTY && !options.json && !schema) {
      const { interactiveSession } = await import('./session/interactive.ts');
      return interactiveSession(
        context,
        options,
        flags,
        openConversation(context.runtime.ledger, Boolean(options.continue), options.cid),
      );
    }
    throw new UsageError(
      'no prompt: give it as an argument or pipe it on standard input',
      'e.g. llm-gateway chat "hello", or: cat notes.md | llm-gateway chat "summarise"',
    );
  }
  const material = stdinIsTerminal ? undefined : await readStdinText(context.stdin);
  const content = composePrompt(prompt, material);
  if (!content && attachments.length === 0 && !options.explain) {
    throw new UsageError(
      'no prompt: the argument is missing and standard input is empty',
      'e.g. llm-gateway chat "hello", or: cat notes.md | llm-gateway chat "summarise"',
    );
  }

  if (options.apiKeyFile) await useKeyForThisRun(context, options.model, options.apiKeyFile);
  const conversation = openConversation(context.runtime.ledger, Boolean(options.continue), options.cid);
  // This run's -s replaces the stored system prompt; `-s ""` means none (some providers refuse an empty one).
  const system =
    options.system === undefined ? conversation?.system : options.system.trim() ? options.system : undefined;
  const messages: Message[] = [
    ...(system ? [{ role: 'system' as const, content: system }] : []),
    ...(conversation?.exchanges ?? []),
  ];
  const turn: Message = { role: 'user', content: userContent(content, attachments) };
  const gateway = await context.runtime.gateway({
    allowPaid: Boolean(options.allowPaid),
    timeoutSeconds: flags.timeout,
  });
  const request: ChatRequest = {
    messages: [...messages, turn],
    model: options.model ?? defaultModel(context),
    scenario: options.scenario,
    maxTokens: flags.maxTokens,
    temperature: flags.temperature,
    ...(schema ? { responseFormat: { type: 'json-schema' as const, name: 'answer', schema } } : {}),
    // Streamed out as it comes, the answer is needed only as far as it is stored: memory stays bounded (a schema
    // check needs all of it).
    ...(options.stream && !options.json && !schema ? { keepText: storeLimit } : {}),
  };
  if (options.explain) {
    const plan = await gateway.plan(request);
    printPlan(context, plan, request, Boolean(options.json));
    // The plan is the whole output; a script still learns from the exit code what the real call would have ended with.
    if (plan.candidates.length === 0) throw new QuietExit(exitCodeOf(noCandidateError(plan)));
    return;
  }

  const abort = new AbortController();
  const onInterrupt = () => {
    if (abort.signal.aborted) process.exit(ExitCode.interrupted);
    abort.abort();
  };
  // Ctrl-C, the SIGTERM of `timeout`, systemd or a parent script, and the SIGHUP of a terminal closed or an SSH
  // connection dropped: stop the answer, keep what it used.
  process.on('SIGINT', onInterrupt);
  process.on('SIGTERM', onInterrupt);
  process.on('SIGHUP', onInterrupt);
  const id = conversation?.id ?? randomUUID().slice(0, 8);
  run.conversationId = id;
  // The request log joins a turn to its conversation only when the conversation is stored (not with --no-log).
  const turnLog = options.log ? { conversationId: id } : {};
  let result: ChatResult | undefined;
  let checked: { json: string; repaired: boolean } | undefined;
  try {
    const signal = AbortSignal.any([abort.signal, context.outputClosed]);
    if (schema && checker) {
      ({ result, ...checked } = await answerWithSchema(
        context,
        gateway,
        { ...request, signal },
        schema,
        checker,
        Boolean(options.quiet),
        turnLog,
      ));
    } else {
      result = await runTurn(
        context,
        gateway,
        { ...request, signal },
        {
          stream: options.stream,
          json: Boolean(options.json),
          quiet: Boolean(options.quiet),
          log: turnLog,
        },
      );
    }
  } catch (caught) {
    if (context.outputClosed.aborted) return quietlyAfterClosedPipe(context, caught, id, system, turn, options.log);
    const err =
      abort.signal.aborted && !(caught instanceof PartialAnswerError)
        ? new GatewayError({ code: 'interrupted' }, 'interrupted')
        : caught;
    if (err instanceof PartialAnswerError && options.log) run.saved = save(context, id, system, turn, err.partial);
    if (err instanceof InvalidAnswerError && options.log) run.saved = save(context, id, system, turn, err.answer);
    throw err;
  } finally {
    process.off('SIGINT', onInterrupt);
    process.off('SIGTERM', onInterrupt);
    process.off('SIGHUP', onInterrupt);
  }
  const saved = options.log && save(context, id, system, turn, result);
  if (options.json)
    context.out.json({
      ...jsonOf(result, id, saved),
      ...(checked ? { text: checked.json, repaired: checked.repaired } : {}),
    });
  // The JSON alone, for `| jq`: never streamed, printed once it passed the schema.
  else if (checked)
    context.out.stdout.write(`${context.out.stdout.isTTY ? terminalSafe(checked.json) : checked.json}\n`);
}

/** The reader of stdout left (`… | head`): what was used is recorded, the text shown so far is kept; no error. */
function quietlyAfterClosedPipe(
  context: Context,
  err: unknown,
  id: string,
  system: string | undefined,
  turn: Message,
  log: boolean,
): void {
  if (err instanceof PartialAnswerError && log) save(context, id, system, turn, err.partial);
}

/** `--api-key-file` belongs to one provider: the one the named model (or `provider:model`) pins. */
async function useKeyForThisRun(context: Context, model: string | undefined, path: string): Promise<void> {
  const resolved = model && model !== 'auto' ? resolveModel(context.runtime.catalog(), model) : undefined;
  const providers = resolved
    ? resolved.provider
      ? [resolved.provider]
      : resolved.model.deployments.map((d) => d.provider)
    : [];
  if (providers.length !== 1) {
    throw new UsageError(
      '--api-key-file needs a model served by one provider',
      'name it with -m provider:model, e.g. -m groq:llama-3.1-8b-instant',
    );
  }
  context.runtime.runKeys.set(providers[0]!, await readKeyFromFile(path));
}

/** Stores the exchange; false (after a warning) when the ledger could not take it: the answer stands. */
function save(context: Context, id: string, system: string | undefined, turn: Message, answer: ChatResult): boolean {
  const stored = { ...answer, text: storedText(answer, storedAnswerLimit(context.runtime.env)) };
  return saveOrWarn(context, answer, () =>
    recordExchange(context.runtime.ledger(), id, system, turn, stored, context.runtime.now()),
  );
}

/** `chat --json` when the run failed: the partial answer if there was one, and the error with its exit code. */
function failureJson(context: Context, err: unknown, conversationId: string | undefined, logged: boolean) {
  const exitCode = exitCodeOf(err);
  const text =
    err instanceof GatewayError ? failureText(err).message : err instanceof Error ? err.message : String(err);
  const error = safeMessage(context, text);
  if (err instanceof PartialAnswerError) return { ...jsonOf(err.partial, conversationId!, logged), error, exitCode };
  if (err instanceof InvalidAnswerError)
    return { ...jsonOf(err.answer, conversationId!, logged), error, exitCode, validationErrors: err.failure.errors };
  return { text: null, error, exitCode };
}

/** The stable `chat --json` shape (documented in README). */
function jsonOf(result: ChatResult, conversationId: string, logged: boolean) {
  return {
    text: result.text,
    model: result.model,
    provider: result.provider,
    billing: result.billing,
    usage: { inputTokens: result.usage.inputTokens, outputTokens: result.usage.outputTokens },
    usageEstimated: result.usage.estimated,
    finishReason: result.finishReason,
    freeRemaining: result.freeRemaining ?? null,
    fallbacks: result.fallbacks.map(({ model, provider, reason, code }) => ({ model, provider, reason, code })),
    toolCalls: result.toolCalls.map(({ id, name, arguments: args }) => ({ id, name, arguments: args })),
    reasoning: result.reasoning ?? null,
    conversationId: logged ? conversationId : null,
    requestId: result.requestId,
    // false: the answer was paid for but the ledger could not record it (stderr says why); never ask again for it
    usageRecorded: result.usageNotRecorded === undefined,
  };
}
