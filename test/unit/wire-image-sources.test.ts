// Images a client sends to either endpoint go through one check before anything goes upstream: the Anthropic
// endpoint forwarded `file:///etc/passwd` as an image URL, spliced a media type like `image/png;x=1,evil` into a
// data: URL, passed text/html and bytes that were not base64. Both endpoints now take image/png, image/jpeg,
// image/gif and image/webp, real base64, and http(s) or data:image/…;base64 URLs only; anything else is a 400
// naming the field.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HttpError } from '../../src/server/http-error.ts';
import { readAnthropicRequest } from '../../src/protocols/anthropic-messages/request-decode.ts';
import { readOpenAiRequest } from '../../src/protocols/openai-chat/request-decode.ts';

const PIXEL = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

const anthropic = (source: unknown) => () =>
  readAnthropicRequest({
    model: 'm',
    max_tokens: 5,
    messages: [
      {
        role: 'user',
        content: [
          { type: 'image', source },
          { type: 'text', text: 'what?' },
        ],
      },
    ],
  });
const openai = (url: string) => () =>
  readOpenAiRequest({
    model: 'm',
    messages: [
      {
        role: 'user',
        content: [
          { type: 'image_url', image_url: { url } },
          { type: 'text', text: 'what?' },
        ],
      },
    ],
  });

function refused(read: () => unknown, message: RegExp) {
  assert.throws(read, (err: unknown) => {
    assert.ok(err instanceof HttpError, String(err));
    assert.equal(err.status, 400);
    assert.match(err.message, message);
    return true;
  });
}

test('a file:// (or any non-http) image URL is refused on the Anthropic endpoint, as on the OpenAI one', () => {
  for (const url of ['file:///etc/passwd', 'ftp://example.com/a.png', 'gopher://x', 'javascript:alert(1)']) {
    refused(anthropic({ type: 'url', url }), /messages\[0\]\.content\[0\]\.source\.url must be an http\(s\) URL/);
    refused(openai(url), /messages\[0\]\.content\[0\]\.image_url\.url must be an http\(s\) URL/);
  }
});

test('a media type that is not one of the four image types is refused: no splicing into a data: URL, no text/html', () => {
  for (const media_type of ['image/png;x=1,evil', 'text/html', 'image/svg+xml', '']) {
    refused(
      anthropic({ type: 'base64', media_type, data: PIXEL }),
      /source\.media_type must be one of image\/png, image\/jpeg, image\/gif, image\/webp/,
    );
  }
  refused(openai(`data:text/html;base64,${PIXEL}`), /image_url\.url \(media type\) must be one of image\/png/);
  refused(openai(`data:image/png;x=1;base64,${PIXEL}`), /image_url\.url \(media type\) must be one of/);
});

test('data that is not base64 is refused on both endpoints', () => {
  for (const data of ['not base64!', '<html>', 'abc', 'iVBOR w0K']) {
    refused(
      anthropic({ type: 'base64', media_type: 'image/png', data }),
      /source\.data must be the image's bytes in base64/,
    );
    refused(openai(`data:image/png;base64,${data}`), /image_url\.url \(data\) must be the image's bytes in base64/);
  }
});

test('good images still pass: base64 of the four types, http(s) URLs, and a data: URL in an Anthropic url source', () => {
  for (const media_type of ['image/png', 'image/jpeg', 'image/gif', 'image/webp']) {
    assert.doesNotThrow(anthropic({ type: 'base64', media_type, data: PIXEL }));
    assert.doesNotThrow(openai(`data:${media_type};base64,${PIXEL}`));
  }
  assert.doesNotThrow(anthropic({ type: 'url', url: 'https://example.com/cat.png' }));
  assert.doesNotThrow(openai('http://example.com/cat.png'));
  const request = readAnthropicRequest({
    model: 'm',
    max_tokens: 5,
    messages: [
      { role: 'user', content: [{ type: 'image', source: { type: 'url', url: `data:image/png;base64,${PIXEL}` } }] },
    ],
  });
  assert.deepEqual(JSON.stringify(request).includes('"kind":"base64"'), true);
});
