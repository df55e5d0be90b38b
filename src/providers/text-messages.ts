// Until the adapters carry content parts (issue 11), a message reaches them as text; a part they cannot carry is
// an error the caller sees, never a silent drop.
import { UpstreamError } from '../core/errors.ts';
import type { AdapterCall } from '../core/types.ts';

export type TextMessage = { role: 'system' | 'user' | 'assistant'; content: string };

export function textMessages(call: AdapterCall): TextMessage[] {
  return call.messages.map((m) => {
    const parts = typeof m.content === 'string' ? [] : m.content.filter((p) => p.type !== 'text');
    if (m.role === 'tool' || parts.length > 0) {
      throw new UpstreamError({ provider: call.provider.id, kind: 'bad_request', message: `${call.provider.id}: only text messages can be sent yet` });
    }
    return { role: m.role, content: typeof m.content === 'string' ? m.content : m.content.map((p) => (p.type === 'text' ? p.text : '')).join('') };
  });
}
