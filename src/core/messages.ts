// The message model: what a conversation is made of, whichever provider answers it. Provider-neutral on purpose —
// each adapter (providers/) and each wire reader/writer (server/wire/) translates to and from it, so a request that
// arrives in one protocol can be answered by a model that speaks the other. This file imports nothing.
//
// Where the two big wire formats differ, the model takes the shape that loses nothing in either direction:
// - tool results are messages of their own (`role: 'tool'`, as OpenAI sends them; Anthropic's tool_result blocks in
//   a user turn are split out on the way in and merged back on the way out);
// - tool-call arguments stay the JSON text the model produced (OpenAI streams them as text; Anthropic's `input`
//   object is serialised once), so a partial or malformed argument string is carried, not repaired or lost;
// - ids are kept verbatim: a call id made by one provider is the id the client sends back, whoever answers next.

/** Who said it. `tool` carries the results of tool calls the assistant made in the turn before. */
export type Role = 'system' | 'user' | 'assistant' | 'tool';

/**
 * What a client asked of one provider for a part or a tool, carried as it was written (never interpreted by the
 * core). The codec of a protocol that understands a hint applies it; any other drops it and names it among the
 * call's dropped hints (the request log's `dropped`).
 */
export interface ProviderHints {
  /** Anthropic prompt caching: a cache breakpoint after this block (`{type: 'ephemeral', ttl?}`), passed on as is. */
  cacheControl?: Record<string, unknown>;
  /** Anthropic's `thinking` object as sent, fields newer than the core's budget and adaptive switch included. */
  thinking?: Record<string, unknown>;
}

/** A part or tool that may carry provider hints. */
interface Hinted {
  hints?: ProviderHints;
}

/** Plain text. */
export interface TextPart extends Hinted {
  type: 'text';
  text: string;
}

/** Where an image's bytes are: a URL the provider fetches itself, or the bytes inline. */
export type ImageSource =
  | { kind: 'url'; url: string }
  /** `data` is base64 (no `data:` prefix); `mediaType` e.g. `image/png`, `image/jpeg`, `image/webp`, `image/gif`. */
  | { kind: 'base64'; mediaType: string; data: string };

/** An image the model should look at (needs a `vision` deployment). User turns and tool results only. */
export interface ImagePart extends Hinted {
  type: 'image';
  source: ImageSource;
}

/** A tool call the assistant made. Assistant turns only. */
export interface ToolCallPart extends Hinted {
  type: 'tool-call';
  /** The provider's id (`call_…`, `toolu_…`), kept verbatim so the result can name it. */
  id: string;
  /** One of the request's tool definitions. */
  name: string;
  /** The arguments as the JSON text the model produced (an object, when it is valid). */
  arguments: string;
}

/** What running a tool call returned. Tool turns only. */
export interface ToolResultPart extends Hinted {
  type: 'tool-result';
  /** The `id` of the ToolCallPart this answers. */
  callId: string;
  content: string | Array<TextPart | ImagePart>;
  /** The tool failed; the text says how (Anthropic `is_error`; OpenAI has no flag and gets the text alone). */
  isError?: boolean;
}

/**
 * The model's reasoning (thinking) text, where a provider returns it (Anthropic `thinking` blocks, DeepSeek/Kimi/
 * Qwen `reasoning_content`). Assistant turns only; a provider that cannot take it back drops it on the way out.
 */
export interface ReasoningPart {
  type: 'reasoning';
  text: string;
  /** Anthropic signs its thinking blocks and wants the signature back with them in a tool loop. */
  signature?: string;
}

export type ContentPart = TextPart | ImagePart | ToolCallPart | ToolResultPart | ReasoningPart;

/**
 * One turn. `content` is a string for the plain-text case (most turns, and every turn stored before parts
 * existed), or parts. Which parts a role may hold: system — text; user — text, image; assistant — text, reasoning,
 * tool-call; tool — tool-result (one or more). `messageParts` and `messageText` read either form.
 */
export interface Message {
  role: Role;
  content: string | ContentPart[];
}

/** A piece of an answer, as the assistant turn that a client sends back holds it. */
export type AnswerPart = TextPart | ReasoningPart | ToolCallPart;

/** A function the model may call: a name, what it does, and its parameters as a JSON Schema (an object schema). */
export interface ToolDefinition extends Hinted {
  name: string;
  description?: string;
  /** JSON Schema for the arguments object; `{type: 'object', properties: {}}` when the tool takes none. */
  parameters: Record<string, unknown>;
}

/** Whether and which tool the model must call: its choice, none, at least one, or the named one. */
export type ToolChoice = { type: 'auto' } | { type: 'none' } | { type: 'required' } | { type: 'tool'; name: string };

/** The form of the answer: free text, any JSON object, or JSON valid against a schema. */
export type ResponseFormat =
  | { type: 'text' }
  | { type: 'json' }
  | {
      type: 'json-schema';
      /** OpenAI requires a name (`^[a-zA-Z0-9_-]{1,64}$`); a default is used when the caller gives none. */
      name?: string;
      description?: string;
      schema: Record<string, unknown>;
      /** Ask the provider to enforce the schema exactly where it can (OpenAI `strict`). */
      strict?: boolean;
    };

/** A tool call of a finished answer, whole. */
export interface ToolCall {
  id: string;
  name: string;
  /** JSON text, as the model produced it. */
  arguments: string;
}

/** The parts of a message, whichever form it was written in. */
export function messageParts(message: Message): ContentPart[] {
  return typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : message.content;
}

/** The text of a message (its text parts joined; images, tool calls and reasoning left out). */
export function messageText(message: Message): string {
  if (typeof message.content === 'string') return message.content;
  let text = '';
  for (const part of message.content) if (part.type === 'text') text += part.text;
  return text;
}
