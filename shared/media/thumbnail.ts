import { setTimeout as sleep } from 'node:timers/promises';
import { logger } from '../logger';
import type { Platform } from '../schemas/common';
import { readImageSettings, type ImageProviderName } from './images/config';
import { ImageProviderError } from './images/errors';
import type { RemoteImageProvider } from './images/provider';
import { renderTitleCard } from './images/title-card';
import { validateImage, type ImageContentType } from './images/validate';

export { InvalidImage } from './images/errors';

export interface ThumbnailRequest {
  title: string;
  subtitle?: string;
  /** What an image model should draw; the offline card does not use it. */
  prompt: string;
  platform: Platform;
  niche: string;
  /** `#rrggbb` a brand asset's description names: the offline card's colours follow it instead of the niche's. */
  brandColour?: string;
  /** Makes a render repeatable: the same seed gives the same card (and asks remote models for the same image). */
  seed: string;
}

export interface RenderedImage {
  bytes: Uint8Array;
  contentType: ImageContentType;
  width: number;
  height: number;
  /** Who made the image, e.g. `pollinations`, or `offline (fallback from pollinations: InvalidImage)`. */
  provider: string;
}

export interface ImageSize {
  width: number;
  height: number;
}

const LANDSCAPE: ImageSize = { width: 1280, height: 720 };
const SQUARE: ImageSize = { width: 1080, height: 1080 };
const PORTRAIT: ImageSize = { width: 1080, height: 1920 };

const PLATFORM_SIZES: Record<Platform, ImageSize> = {
  youtube: LANDSCAPE,
  x: LANDSCAPE,
  linkedin: LANDSCAPE,
  facebook: LANDSCAPE,
  blog: LANDSCAPE,
  instagram: SQUARE,
  threads: SQUARE,
  tiktok: PORTRAIT,
};

/** The thumbnail size for a platform: 16:9 for video and link previews, square for feeds, 9:16 for TikTok. */
export function aspectFor(platform: Platform): ImageSize {
  return { ...PLATFORM_SIZES[platform] };
}

// Loaded on first use: the Gemini SDK is most of the bundle, and a function on the offline
// provider should not evaluate it at every cold start.
const remoteProviders: Record<Exclude<ImageProviderName, 'offline'>, () => Promise<RemoteImageProvider>> = {
  pollinations: async () => (await import('./images/pollinations')).pollinationsImage,
  gemini: async () => (await import('./images/gemini')).geminiImage,
};

/**
 * Renders a thumbnail with the provider named by IMAGE_PROVIDER (default `offline`, a generated
 * title card, after OFFLINE_IMAGE_LATENCY_MS). Every image is validated before it is returned; a
 * remote provider that fails, times out or answers something that is not a valid image is replaced
 * by the offline card at once, and `provider` says so.
 */
export async function renderThumbnail(request: ThumbnailRequest, settings = readImageSettings()): Promise<RenderedImage> {
  const size = aspectFor(request.platform);
  if (settings.provider === 'offline') {
    if (settings.offlineLatencyMs > 0) await sleep(settings.offlineLatencyMs);
    return offlineThumbnail(request, size, settings.maxBytes, 'offline');
  }
  try {
    const provide = await remoteProviders[settings.provider]();
    const image = await provide(request, size, settings);
    return { bytes: image.bytes, ...validateImage(image.bytes, image.contentType, settings.maxBytes), provider: settings.provider };
  } catch (error) {
    const reason = failureReason(error);
    logger.warn('Image provider failed, using the offline title card', { provider: settings.provider, reason, error });
    return offlineThumbnail(request, size, settings.maxBytes, `offline (fallback from ${settings.provider}: ${reason})`);
  }
}

function offlineThumbnail(request: ThumbnailRequest, size: ImageSize, maxBytes: number, provider: string): RenderedImage {
  const bytes = renderTitleCard(request, size);
  return { bytes, ...validateImage(bytes, 'image/png', maxBytes), provider };
}

/** A short, stable reason: the error's name (InvalidImage, TimeoutError, …), or a provider error's own message (`HTTP 500`). */
function failureReason(error: unknown): string {
  if (error instanceof ImageProviderError) return error.message;
  return error instanceof Error ? error.name : 'unknown error';
}
