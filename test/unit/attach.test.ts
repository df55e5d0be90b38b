// What `chat --attach` makes of a file or URL (src/cli/chat/attach.ts): the kind is read from the bytes, never from the
// name; text is appended between markers naming the file; anything else is refused with the fix, before any call.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { imageMediaType, readAttachment, userContent, type Attachment } from '../../src/cli/chat/attach.ts';
import { UsageError } from '../../src/core/errors.ts';
import { PNG_1X1 } from '../fixtures/images.ts';

const dir = mkdtempSync(join(tmpdir(), 'llmgw-attach-'));
const file = (name: string, bytes: string | Buffer) => {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
};

test('the image kind is read from the first bytes: PNG, JPEG, GIF 87a/89a, WebP; anything else is not an image', () => {
  assert.equal(imageMediaType(PNG_1X1), 'image/png');
  assert.equal(imageMediaType(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10])), 'image/jpeg');
  assert.equal(imageMediaType(Buffer.from('GIF87a\x01\x00', 'latin1')), 'image/gif');
  assert.equal(imageMediaType(Buffer.from('GIF89a\x01\x00', 'latin1')), 'image/gif');
  assert.equal(imageMediaType(Buffer.from('RIFF\x24\x00\x00\x00WEBPVP8 ', 'latin1')), 'image/webp');
  assert.equal(
    imageMediaType(Buffer.from('RIFF\x24\x00\x00\x00WAVEfmt ', 'latin1')),
    undefined,
    'a WAV file is RIFF too',
  );
  assert.equal(imageMediaType(Buffer.from('%PDF-1.7')), undefined);
  assert.equal(imageMediaType(Buffer.from([0x89, 0x50])), undefined, 'a cut signature');
});

test('a PNG named .txt is an image (base64 + media type); text named .png is text', async () => {
  const image = await readAttachment(file('really-an-image.txt', PNG_1X1));
  assert.deepEqual(image, {
    kind: 'image',
    name: join(dir, 'really-an-image.txt'),
    part: { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: PNG_1X1.toString('base64') } },
  });
  const text = await readAttachment(file('notes.png', 'ünïcode notes\n'));
  assert.deepEqual(text, { kind: 'text', name: join(dir, 'notes.png'), text: 'ünïcode notes\n' });
});

test('an http(s) URL is an image URL, passed on without downloading; a broken one is refused', async () => {
  assert.deepEqual(await readAttachment('https://example.com/cat.jpg'), {
    kind: 'image',
    name: 'https://example.com/cat.jpg',
    part: { type: 'image', source: { kind: 'url', url: 'https://example.com/cat.jpg' } },
  });
  await assert.rejects(readAttachment('http://exa mple.com/x.png'), /not a valid URL/);
});

test('refused with exit 2 and the fix: missing, a directory, binary, not UTF-8, too large, empty', async () => {
  const refused = async (spec: string, message: RegExp, hint: RegExp) =>
    assert.rejects(
      readAttachment(spec),
      (err: unknown) => err instanceof UsageError && message.test(err.message) && hint.test(err.hint ?? ''),
    );
  await refused(join(dir, 'missing.png'), /missing\.png: no such file/, /check the path/);
  await refused(dir, /is a directory/, /one by one/);
  await refused(
    file('program.bin', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2])),
    /neither an image .* nor a text file/,
    /convert other files/,
  );
  await refused(file('latin1.txt', Buffer.from('caf\xe9\n', 'latin1')), /not valid UTF-8/, /iconv/);
  await refused(file('big.txt', 'x'.repeat(2 * 1024 * 1024 + 1)), /over the 2 MiB limit for text/, /head -c/);
  await refused('', /needs a file or an http\(s\) URL/, /^$/);
});

test('an image over 20 MiB is refused from its size alone', async () => {
  const path = join(dir, 'huge.png');
  writeFileSync(path, PNG_1X1);
  const { truncateSync } = await import('node:fs');
  truncateSync(path, 20 * 1024 * 1024 + 1); // sparse: nothing is really written
  await assert.rejects(readAttachment(path), /huge\.png: is 20\.0 MiB, over the 20 MiB limit; nothing was sent/);
});

test('the user turn: text files appended between markers that name them, images first; text alone stays a string', () => {
  const notes: Attachment = { kind: 'text', name: 'notes.md', text: '# Notes\nline' };
  const odd: Attachment = { kind: 'text', name: 'a "quoted"\nname.txt', text: 'x\n' };
  const image: Attachment = {
    kind: 'image',
    name: 'p.png',
    part: { type: 'image', source: { kind: 'url', url: 'https://e.x/p.png' } },
  };
  assert.equal(userContent('summarise', [notes]), 'summarise\n\n<file name="notes.md">\n# Notes\nline\n</file>');
  assert.equal(
    userContent(undefined, [notes, odd]),
    '<file name="notes.md">\n# Notes\nline\n</file>\n\n<file name="a &quot;quoted&quot; name.txt">\nx\n</file>',
  );
  assert.equal(userContent('plain', []), 'plain');
  assert.deepEqual(userContent('what is this?', [notes, image]), [
    image.part,
    { type: 'text', text: 'what is this?\n\n<file name="notes.md">\n# Notes\nline\n</file>' },
  ]);
  assert.deepEqual(userContent(undefined, [image]), [image.part]);
});
