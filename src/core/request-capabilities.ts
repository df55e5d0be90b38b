// What a request needs of a model beyond text, read from the request itself: tools it may call (unless it says
// none), images anywhere in the conversation (a user turn or a tool's result), an answer in JSON. The router skips
// a deployment whose model lacks one (`missing_capability`), so the reason shows in `--explain` and in serve's
// error instead of a 400 from the provider after a request was spent.
import type { Capability, ChatRequest, Message } from './types.ts';

function hasImage(message: Message): boolean {
  if (typeof message.content === 'string') return false;
  return message.content.some(
    (p) =>
      p.type === 'image' ||
      (p.type === 'tool-result' && typeof p.content !== 'string' && p.content.some((c) => c.type === 'image')),
  );
}

export function requiredCapabilities(
  request: Pick<ChatRequest, 'messages' | 'tools' | 'toolChoice' | 'responseFormat'>,
): Capability[] {
  const needs: Capability[] = [];
  if (request.tools?.length && request.toolChoice?.type !== 'none') needs.push('tools');
  if (request.messages.some(hasImage)) needs.push('vision');
  const format = request.responseFormat?.type;
  if (format === 'json' || format === 'json-schema') needs.push('json');
  return needs;
}
