import type { ImageSize, ThumbnailRequest } from './request';
import type { ImageSettings } from './config';
import { httpStatusError, InvalidImage } from './errors';
import { hashString } from './hash';
import type { FetchedImage } from './provider';

/**
 * Longest percent-encoded prompt put in the URL path: servers commonly refuse URLs past 8 KB, and a
 * campaign's brand_assets block alone can be 4,000 characters before encoding.
 */
export const MAX_ENCODED_PROMPT = 2000;

/** Pollinations' text-to-image endpoint: GET <base>/prompt/<prompt>?width&height&seed&nologo answers the image itself. */
export async function pollinationsImage(request: ThumbnailRequest, size: ImageSize, settings: ImageSettings): Promise<FetchedImage> {
  const url = new URL(`prompt/${encodedPrompt(request.prompt)}`, settings.pollinationsBaseUrl.replace(/\/?$/, '/'));
  url.search = new URLSearchParams({
    width: String(size.width),
    height: String(size.height),
    seed: String(hashString(request.seed) & 0x7fffffff),
    nologo: 'true',
  }).toString();
  // One signal bounds the whole exchange, body included, so a server that stalls mid-image also times out.
  const response = await fetch(url, { signal: AbortSignal.timeout(settings.timeoutMs) });
  if (!response.ok) {
    await response.body?.cancel();
    throw httpStatusError(response.status, response.headers.get('retry-after'));
  }
  return { bytes: await readAtMost(response, settings.maxBytes), contentType: response.headers.get('content-type') ?? '' };
}

/**
 * The prompt percent-encoded, cut at MAX_ENCODED_PROMPT. The tail goes: the instruction and the title
 * lead the prompt, the brand_assets block (thumbnailRequest in shared/workflow/thumbnail.ts) ends it.
 */
export function encodedPrompt(prompt: string): string {
  let encoded = '';
  for (const char of prompt) {
    const next = encodeURIComponent(char);
    if (encoded.length + next.length > MAX_ENCODED_PROMPT) break;
    encoded += next;
  }
  return encoded;
}

/** Reads the body, giving up as soon as it passes `maxBytes` instead of buffering whatever the server sends. */
async function readAtMost(response: Response, maxBytes: number): Promise<Uint8Array> {
  if (!response.body) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let length = 0;
  const reader = response.body.getReader();
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    length += read.value.length;
    if (length > maxBytes) {
      await reader.cancel();
      throw new InvalidImage(`The image exceeds the limit of ${maxBytes} bytes`);
    }
    chunks.push(read.value);
  }
  return Buffer.concat(chunks);
}
