import type { ImageSize, ThumbnailRequest } from '../thumbnail';
import type { ImageSettings } from './config';
import { ImageProviderError, InvalidImage } from './errors';
import { hashString } from './hash';
import type { FetchedImage } from './provider';

/** Pollinations' text-to-image endpoint: GET <base>/prompt/<prompt>?width&height&seed&nologo answers the image itself. */
export async function pollinationsImage(request: ThumbnailRequest, size: ImageSize, settings: ImageSettings): Promise<FetchedImage> {
  const url = new URL(`prompt/${encodeURIComponent(request.prompt)}`, settings.pollinationsBaseUrl.replace(/\/?$/, '/'));
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
    throw new ImageProviderError(`HTTP ${response.status}`);
  }
  return { bytes: await readAtMost(response, settings.maxBytes), contentType: response.headers.get('content-type') ?? '' };
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
