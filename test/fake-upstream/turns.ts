// Scripted tool loops for real clients (test/clients/): a client such as Claude Code or Codex sends as many requests
// as its loop needs, sometimes with side calls between them, so a fixed queue of steps cannot follow it. A responder
// reads the conversation in each request instead: while it holds fewer finished tool rounds than scripted, it
// answers the next round's calls; after the last round, it answers with what the tools returned.
// Read from the wire formats: OpenAI chat turns (assistant `tool_calls`, role `tool`), Anthropic messages
// (assistant `tool_use` blocks, user `tool_result` blocks) and Responses input items (`function_call`,
// `function_call_output`).

import type { Responder } from './server.ts';
import type { RecordedRequest, Step } from './types.ts';

/** One tool call the fake model makes: the tool's name and its input as an object. */
export interface ToolTurn {
  name: string;
  input: Record<string, unknown>;
}

type Item = { role?: string; type?: string; content?: unknown; tool_calls?: unknown[]; output?: unknown };

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part: { text?: unknown; content?: unknown }) =>
      typeof part?.text === 'string' ? part.text : textOf(part?.content),
    )
    .join('');
}

/** The conversation's turns, whichever wire carried them. */
function itemsOf(request: RecordedRequest): Item[] {
  const body = request.body ?? {};
  if (Array.isArray(body.messages)) return body.messages;
  return Array.isArray(body.input) ? body.input : [];
}

/** How many times the model already answered with tool calls in this conversation. */
function roundsOf(items: Item[]): number {
  let rounds = 0;
  let inRound = false; // Responses lists a round's function_call items one after another
  for (const item of items) {
    const calls =
      (item.role === 'assistant' &&
        (item.tool_calls?.length ||
          (Array.isArray(item.content) && item.content.some((b: { type?: string }) => b?.type === 'tool_use')))) ||
      item.type === 'function_call';
    if (calls && !inRound) rounds++;
    inRound = Boolean(calls) && item.type === 'function_call';
  }
  return rounds;
}

/** The text every tool returned in the conversation, oldest first. */
export function toolResultsOf(request: RecordedRequest): string[] {
  return itemsOf(request).flatMap((item) => {
    if (item.role === 'tool') return [textOf(item.content)];
    if (item.type === 'function_call_output') return [textOf(item.output)];
    if (item.role === 'user' && Array.isArray(item.content))
      return item.content
        .filter((b: { type?: string }) => b?.type === 'tool_result')
        .map((b: { content?: unknown }) => textOf(b.content));
    return [];
  });
}

/**
 * A responder that plays `rounds` of tool calls (each round: the calls of one answer, in parallel when several),
 * then answers `finish(results)`. Requests `accept` turns down (a client's side call) get the default answer.
 * Each call's arguments stream in two fragments, and its id names its round, so ids never repeat.
 */
export function toolLoop(
  rounds: ToolTurn[][],
  finish: (results: string[]) => Step,
  accept: (request: RecordedRequest) => boolean = () => true,
): Responder {
  return (request) => {
    if (!accept(request)) return undefined;
    const done = roundsOf(itemsOf(request));
    if (done >= rounds.length) return finish(toolResultsOf(request));
    const prefix = request.format === 'anthropic' ? 'toolu_' : 'call_';
    return {
      toolCalls: rounds[done]!.map((call, i) => {
        const json = JSON.stringify(call.input);
        const cut = Math.ceil(json.length / 2);
        return {
          id: `${prefix}round${done + 1}_${i + 1}`,
          name: call.name,
          arguments: [json.slice(0, cut), json.slice(cut)],
        };
      }),
    };
  };
}

/**
 * A responder for structured output: the value as the answer's JSON text, or — when the request forces one tool
 * (how LangChain's and the AI SDK's tool mode ask for structure) — as that tool's input.
 */
export function answerJson(value: unknown): Responder {
  return (request) => {
    const choice = request.body?.tool_choice;
    const forced = choice?.function?.name ?? (choice?.type === 'tool' ? choice.name : undefined) ?? choice?.name;
    const json = JSON.stringify(value);
    if (typeof forced === 'string') return { toolCalls: [{ name: forced, arguments: [json] }] };
    return { text: [json.slice(0, 8), json.slice(8)] };
  };
}
