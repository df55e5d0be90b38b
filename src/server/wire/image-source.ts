// The one check both endpoints put an image through before it goes upstream. A client could otherwise make the
// gateway forward `file:///etc/passwd` as an image URL, splice `image/png;x=1,evil` into the data: URL an adapter
// builds from a media type, send `text/html` as an image, or pass bytes that are not base64 at all. Accepted: the
// four types both APIs document (Anthropic: image/jpeg, image/png, image/gif, image/webp; OpenAI the same formats),
// base64 that is base64, and URLs that are http(s) or data:image/…;base64.
import type { ImagePart } from '../../core/types.ts';
import { badRequest } from '../http-error.ts';

export const IMAGE_MEDIA_TYPES: readonly string[] = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];

/** Standard base64 (RFC 4648 §4), padded, no whitespace: what both APIs take. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** A base64 image from a media type and data, each checked; `field` is where they sit (…source). */
export function base64Image(mediaType: unknown, data: unknown, mediaField: string, dataField: string): ImagePart {
  if (typeof mediaType !== 'string' || !IMAGE_MEDIA_TYPES.includes(mediaType.toLowerCase())) {
    const got = typeof mediaType === 'string' ? JSON.stringify(mediaType.slice(0, 60)) : typeof mediaType;
    throw badRequest(mediaField, `${mediaField} must be one of ${IMAGE_MEDIA_TYPES.join(', ')}; got ${got}`);
  }
  if (typeof data !== 'string' || data === '' || !BASE64.test(data)) {
    throw badRequest(
      dataField,
      `${dataField} must be the image's bytes in base64 (A-Z, a-z, 0-9, +, /, = padding; no spaces)`,
    );
  }
  return { type: 'image', source: { kind: 'base64', mediaType: mediaType.toLowerCase(), data } };
}

/** An image URL: http(s), passed on for the provider to fetch, or a data:image/…;base64 URL, made a base64 image. */
export function imageFromUrl(url: unknown, field: string): ImagePart {
  if (typeof url !== 'string' || url.trim() === '') throw badRequest(field, `${field} must be a non-empty string`);
  if (/^data:/i.test(url)) {
    const data = /^data:([^,]*);base64,(.*)$/is.exec(url);
    if (!data) throw badRequest(field, `${field}: a data: URL must be data:image/png;base64,… (base64 only)`);
    return base64Image(data[1], data[2], `${field} (media type)`, `${field} (data)`);
  }
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    throw badRequest(field, `${field} must be an http(s) URL or a base64 data: URL (data:image/png;base64,…)`);
  }
  return { type: 'image', source: { kind: 'url', url } };
}
