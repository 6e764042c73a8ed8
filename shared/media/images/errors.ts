/** Bytes that are not the image they claim to be: wrong signature, truncated, oversized or without dimensions. */
export class InvalidImage extends Error {
  override readonly name = 'InvalidImage';
}

/**
 * A provider answered without an image (an HTTP error status, no image part, no credentials).
 * The message is short on purpose: it becomes the fallback reason shown in `RenderedImage.provider`.
 * `transient` (429, 5xx) is worth another attempt, after `retryAfterMs` when the provider said so.
 */
export class ImageProviderError extends Error {
  override readonly name = 'ImageProviderError';

  constructor(
    message: string,
    readonly transient = false,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/** The error for an HTTP error status, with the provider's `Retry-After` (seconds or an HTTP date) when it sent one. */
export function httpStatusError(status: number, retryAfter?: string | null, now = Date.now()): ImageProviderError {
  return new ImageProviderError(`HTTP ${status}`, status === 429 || status >= 500, retryAfterMs(retryAfter, now));
}

function retryAfterMs(value: string | null | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const ms = /^\d+$/.test(value.trim()) ? Number(value) * 1000 : Date.parse(value) - now;
  return Number.isFinite(ms) ? Math.max(0, ms) : undefined;
}
