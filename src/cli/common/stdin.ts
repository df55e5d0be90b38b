// Standard input as the material of a prompt: read whole, strictly UTF-8, and bounded, so a binary file or a runaway
// pipe is refused with a clear message before anything is sent, and nothing is ever silently cut.
import { fstatSync } from 'node:fs';
import { UsageError } from '../../core/errors.ts';

export const MAX_INPUT_BYTES = 2 * 1024 * 1024;

/**
 * A stream read whole, refused with `tooLarge()` as soon as it passes `limit` bytes: nothing past the limit is held
 * in memory, and nothing is ever cut to fit.
 */
export async function readBounded(
  stream: NodeJS.ReadableStream,
  limit: number,
  tooLarge: () => Error,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buffer.length;
    if (size > limit) throw tooLarge();
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

export async function readStdinText(stream: NodeJS.ReadableStream, limit = MAX_INPUT_BYTES): Promise<string> {
  // Node reads a directory as an empty stream: `chat hi < dir` would send the prompt alone, saying nothing.
  const fd = (stream as { fd?: unknown }).fd;
  if (typeof fd === 'number' && isDirectory(fd))
    throw new UsageError(
      'standard input is a directory, not text; nothing was sent',
      'redirect a file (`< notes.md`) or pipe text in, e.g. `cat notes.md | llm-gateway chat "summarise"`',
    );
  const bytes = await readBounded(
    stream,
    limit,
    () =>
      new UsageError(
        `standard input is larger than ${limit / 1024 / 1024} MiB; nothing was sent`,
        'send a smaller part of it (e.g. `head -c 500000 file | llm-gateway chat "…"`)',
      ),
  );
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
  const parts = [prompt?.trim() ? prompt : undefined, stdin?.trim() ? stdin : undefined].filter(
    (p): p is string => p !== undefined,
  );
  return parts.length ? parts.join('\n\n') : undefined;
}

function isDirectory(fd: number): boolean {
  try {
    return fstatSync(fd).isDirectory();
  } catch {
    return false; // a descriptor fstat cannot read is left to the read itself to report
  }
}
