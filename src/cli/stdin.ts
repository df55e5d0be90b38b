// Standard input as the material of a prompt: read whole, strictly UTF-8, and bounded, so a binary file or a runaway
// pipe is refused with a clear message before anything is sent, and nothing is ever silently cut.
import { UsageError } from '../core/errors.ts';

export const MAX_INPUT_BYTES = 2 * 1024 * 1024;

export async function readStdinText(stream: NodeJS.ReadableStream, limit = MAX_INPUT_BYTES): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buffer.length;
    if (size > limit) {
      throw new UsageError(
        `standard input is larger than ${limit / 1024 / 1024} MiB; nothing was sent`,
        'send a smaller part of it (e.g. `head -c 500000 file | llm-gateway chat "…"`)',
      );
    }
    chunks.push(buffer);
  }
  const bytes = Buffer.concat(chunks);
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new UsageError(
      `standard input is not valid UTF-8 (${bytes.length} bytes; binary data?); nothing was sent`,
      'convert it first, e.g. `iconv -f GBK -t UTF-8 file | llm-gateway chat "…"`',
    );
  }
}

/** The instruction and the material in one user message: `<prompt>\n\n<stdin>`. */
export function composePrompt(prompt: string | undefined, stdin: string | undefined): string | undefined {
  const parts = [prompt?.trim() ? prompt : undefined, stdin?.trim() ? stdin : undefined].filter((p): p is string => p !== undefined);
  return parts.length ? parts.join('\n\n') : undefined;
}
