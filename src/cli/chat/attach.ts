// `chat -a, --attach FILE|URL`: what a user attaches becomes part of the question. An image file (recognised by its
// first bytes, never by its name) is sent inline as base64 with its media type; an http(s) URL is passed to the
// provider as an image URL (it fetches it: nothing is downloaded here); a UTF-8 text file is appended to the prompt
// as material, between markers that name it. Anything else is refused with exit 2 before a byte is sent.
import type { FileHandle } from 'node:fs/promises';
import { UsageError } from '../../core/errors.ts';
import type { ContentPart, ImagePart, Message } from '../../core/types.ts';
import { OPEN_WAIT_MS, openWithin } from './open-within.ts';
import { MAX_INPUT_BYTES, readBounded } from '../common/stdin.ts';

/** OpenAI takes images up to 20 MB; a larger file is refused here rather than after an upload. */
export const MAX_IMAGE_BYTES = 20 * 1024 * 1024;
/** A text attachment is bounded like standard input: the prompt is read whole, and never cut to fit. */
export const MAX_TEXT_ATTACHMENT_BYTES = MAX_INPUT_BYTES;

export type Attachment =
  | { kind: 'image'; name: string; part: ImagePart }
  | { kind: 'text'; name: string; text: string };

/** The media types the chat APIs take, by the signature at the start of the file. */
export function imageMediaType(bytes: Uint8Array): string | undefined {
  const starts = (signature: number[], at = 0) => signature.every((b, i) => bytes[at + i] === b);
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (starts([0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (starts([0x47, 0x49, 0x46, 0x38]) && (bytes[4] === 0x37 || bytes[4] === 0x39) && bytes[5] === 0x61)
    return 'image/gif';
  if (starts([0x52, 0x49, 0x46, 0x46]) && starts([0x57, 0x45, 0x42, 0x50], 8)) return 'image/webp';
  return undefined;
}

/** Every `--attach`, in the order given; the first bad one ends the run. */
export async function readAttachments(specs: readonly string[]): Promise<Attachment[]> {
  const attachments: Attachment[] = [];
  for (const spec of specs) attachments.push(await readAttachment(spec));
  return attachments;
}

export async function readAttachment(spec: string): Promise<Attachment> {
  if (spec.trim() === '') throw new UsageError('--attach needs a file or an http(s) URL, got ""');
  if (/^https?:\/\//i.test(spec))
    return { kind: 'image', name: spec, part: { type: 'image', source: { kind: 'url', url: imageUrl(spec) } } };
  const bytes = await readFileBytes(spec);
  const mediaType = imageMediaType(bytes);
  if (mediaType) {
    return {
      kind: 'image',
      name: spec,
      part: { type: 'image', source: { kind: 'base64', mediaType, data: bytes.toString('base64') } },
    };
  }
  return { kind: 'text', name: spec, text: textOf(spec, bytes) };
}

function imageUrl(spec: string): string {
  try {
    return new URL(spec).href;
  } catch {
    throw new UsageError(
      `--attach ${spec}: not a valid URL`,
      'give an image URL such as https://example.com/photo.png, or a file path',
    );
  }
}

/**
 * The file whole, refused past the image limit without reading it when its size is known. Pipes and process
 * substitution (`-a <(git diff)`) have no size up front: they are read up to the limit, never past it.
 */
async function readFileBytes(path: string): Promise<Buffer> {
  let handle: FileHandle;
  try {
    handle = await openWithin(
      path,
      OPEN_WAIT_MS,
      '--attach',
      'start its writer first, or save what it would send to a file',
    );
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw openError(path, err);
  }
  try {
    const info = await handle.stat();
    if (info.isDirectory())
      throw new UsageError(`--attach ${path}: is a directory`, 'attach files one by one, e.g. -a a.png -a notes.md');
    if (info.isFile() && info.size > MAX_IMAGE_BYTES) throw imageTooLarge(path, info.size);
    return await readBounded(handle.createReadStream({ autoClose: false }), MAX_IMAGE_BYTES, () => imageTooLarge(path));
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw openError(path, err);
  } finally {
    await handle.close();
  }
}

function openError(path: string, err: unknown): UsageError {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT')
    return new UsageError(
      `--attach ${path}: no such file`,
      'check the path; an image URL must start with http:// or https://',
    );
  if (code === 'EACCES' || code === 'EPERM')
    return new UsageError(
      `--attach ${path}: permission denied`,
      `make it readable (chmod u+r ${path}), or attach a copy`,
    );
  if (code === 'EISDIR')
    return new UsageError(`--attach ${path}: is a directory`, 'attach files one by one, e.g. -a a.png -a notes.md');
  return new UsageError(
    `--attach ${path}: cannot be read (${code ?? (err instanceof Error ? err.message : String(err))})`,
  );
}

function imageTooLarge(path: string, size?: number): UsageError {
  const what =
    size === undefined
      ? `is larger than ${mb(MAX_IMAGE_BYTES)}`
      : `is ${mb(size)}, over the ${mb(MAX_IMAGE_BYTES)} limit`;
  return new UsageError(
    `--attach ${path}: ${what}; nothing was sent`,
    'attach a smaller image (scale it down, e.g. convert big.png -resize 2000x2000 small.png), or a part of the text',
  );
}

/** Text material: strict UTF-8, no NUL (which no text file holds), at most the stdin limit. */
function textOf(path: string, bytes: Buffer): string {
  if (bytes.includes(0)) {
    throw new UsageError(
      `--attach ${path}: neither an image (PNG, JPEG, WebP, GIF) nor a text file (it holds binary data); nothing was sent`,
      'attach images and UTF-8 text only; convert other files first (e.g. pdftotext doc.pdf doc.txt)',
    );
  }
  if (bytes.length > MAX_TEXT_ATTACHMENT_BYTES) {
    throw new UsageError(
      `--attach ${path}: a text file of ${mb(bytes.length)}, over the ${mb(MAX_TEXT_ATTACHMENT_BYTES)} limit for text; nothing was sent`,
      `attach a part of it, e.g. head -c 500000 ${path} > part.txt`,
    );
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new UsageError(
      `--attach ${path}: not an image and not valid UTF-8 text; nothing was sent`,
      `convert it to UTF-8 first, e.g. iconv -f GBK -t UTF-8 ${path} > ${path}.utf8.txt`,
    );
  }
}

function mb(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / 1024 / 1024} MiB` : `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/**
 * The user turn: the prompt text with every text attachment appended after it, each between markers that name the
 * file (the model can tell the files apart and refer to them); images first, as both big providers advise.
 * A string when there is no image, so a text-only turn stays the plain form stored and sent before.
 */
export function userContent(text: string | undefined, attachments: readonly Attachment[]): Message['content'] {
  const material = attachments
    .filter((a) => a.kind === 'text')
    .map(
      (a) =>
        `<file name="${markerName(a.name)}">\n${a.text}${a.text.endsWith('\n') || a.text === '' ? '' : '\n'}</file>`,
    );
  const joined = [text, ...material].filter((t): t is string => t !== undefined && t !== '').join('\n\n');
  const images: ContentPart[] = attachments.flatMap((a) => (a.kind === 'image' ? [a.part] : []));
  if (images.length === 0) return joined;
  return joined ? [...images, { type: 'text', text: joined }] : images;
}

/** A file name inside the marker's quotes: a quote or a line break in it cannot end the marker early. */
function markerName(name: string): string {
  return name.replace(/["\r\n]/g, (c) => (c === '"' ? '&quot;' : ' '));
}
