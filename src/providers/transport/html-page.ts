// An HTML page where an event stream was expected: a captive portal (hotel, airport Wi-Fi) or a proxy's login page
// answers in the provider's place, often with status 200. Read as a stream it has no events, and the call used to
// fail as "the stream ended without a finish_reason", which sends people looking at the provider.
import type { IncomingHttpHeaders } from 'node:http';

export const HTML_PAGE_WORDS = 'the provider answered with an HTML page (a captive portal or proxy login?)';

/** True when the answer says it is HTML. */
export function typedAsHtml(headers: IncomingHttpHeaders): boolean {
  return /^\s*(text\/html|application\/xhtml\+xml)\b/i.test(headers['content-type'] ?? '');
}

/** How many bytes of a body's start `htmlStart` needs to decide. */
export const SNIFF_BYTES = 64;

/**
 * Whether a body's first bytes are an HTML document (a portal that sends no type, or a wrong one): true or false
 * once it can tell, undefined while `head` is too short to say. No event stream starts with `<`.
 */
export function htmlStart(head: Buffer): boolean | undefined {
  const text = head
    .toString('latin1')
    .replace(/^\uFEFF|^\xEF\xBB\xBF/, '')
    .trimStart();
  if (text.length === 0) return head.length >= SNIFF_BYTES ? false : undefined;
  if (text[0] !== '<') return false;
  const lower = text.toLowerCase();
  if (lower.startsWith('<!doctype html') || lower.startsWith('<html')) return true;
  if ('<!doctype html'.startsWith(lower) || '<html'.startsWith(lower))
    return head.length >= SNIFF_BYTES ? false : undefined;
  return false;
}
