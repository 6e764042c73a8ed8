/** Bytes that are not the image they claim to be: wrong signature, truncated, oversized or without dimensions. */
export class InvalidImage extends Error {
  override readonly name = 'InvalidImage';
}

/**
 * A provider answered without an image (an HTTP error status, no image part, no credentials).
 * The message is short on purpose: it becomes the fallback reason shown in `RenderedImage.provider`.
 */
export class ImageProviderError extends Error {
  override readonly name = 'ImageProviderError';
}
