import { setTimeout as sleep } from 'node:timers/promises';
import { fullJitterDelay } from '../core/backoff';
import { logger } from '../core/logger';
import type { Platform } from '../schemas/common';
import { readImageSettings, type ImageProviderName, type ImageSettings } from './images/config';
import { ImageProviderError } from './images/errors';
import type { RemoteImageProvider } from './images/provider';
import type { ImageSize, ThumbnailRequest } from './images/request';
import { renderTitleCard } from './images/title-card';
import { validateImage, type ImageContentType } from './images/validate';

export { InvalidImage } from './images/errors';
export type { ImageSize, ThumbnailRequest } from './images/request';

export interface RenderedImage {
  bytes: Uint8Array;
  contentType: ImageContentType;
  width: number;
  height: number;
  /** Who made the image, e.g. `pollinations`, or `offline (fallback from pollinations: InvalidImage)`. */
  provider: string;
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
  bluesky: LANDSCAPE,
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
 * title card, after OFFLINE_IMAGE_LATENCY_MS). Every image is validated before it is returned. A
 * remote provider gets up to IMAGE_ATTEMPTS attempts on a transient failure within IMAGE_BUDGET_MS;
 * one that still fails, or fails otherwise, or answers something that is not a valid image, is
 * replaced by the offline card, and `provider` says so.
 */
export async function renderThumbnail(request: ThumbnailRequest, settings = readImageSettings()): Promise<RenderedImage> {
  const size = aspectFor(request.platform);
  if (settings.provider === 'offline') {
    if (settings.offlineLatencyMs > 0) await sleep(settings.offlineLatencyMs);
    return offlineThumbnail(request, size, settings.maxBytes, 'offline');
  }
  const provide = await remoteProviders[settings.provider]();
  const deadline = Date.now() + settings.budgetMs;
  for (let attempt = 1; ; attempt++) {
    try {
      // The attempt's timeout never runs past the image's budget.
      const image = await provide(request, size, { ...settings, timeoutMs: Math.min(settings.timeoutMs, deadline - Date.now()) });
      return { bytes: image.bytes, ...validateImage(image.bytes, image.contentType, settings.maxBytes), provider: settings.provider };
    } catch (error) {
      const delayMs = attempt < IMAGE_ATTEMPTS && transient(error) ? retryDelay(error, attempt, settings) : undefined;
      if (delayMs !== undefined && deadline - Date.now() - delayMs >= Math.min(settings.timeoutMs, MIN_ATTEMPT_MS)) {
        logger.warn('Image provider failed, retrying', { provider: settings.provider, attempt, delayMs, error });
        await sleep(delayMs);
        continue;
      }
      const reason = attempt > 1 ? `${failureReason(error)} after ${attempt} attempts` : failureReason(error);
      logger.warn('Image provider failed, using the offline title card', { provider: settings.provider, reason, error });
      return offlineThumbnail(request, size, settings.maxBytes, `offline (fallback from ${settings.provider}: ${reason})`);
    }
  }
}

/** Attempts at one image on a remote provider: the first and at most two retries. */
export const IMAGE_ATTEMPTS = 3;
/** The longest wait a provider's `Retry-After` gets: the image's budget is shared by its attempts. */
const RETRY_AFTER_CAP_MS = 10_000;
/** A retry is not worth starting with less time than this (or the whole timeout, if shorter) left in the budget. */
const MIN_ATTEMPT_MS = 2_000;

/** 429, 5xx, a timeout or a network failure: another attempt may succeed. An invalid image or another 4xx will not. */
function transient(error: unknown): boolean {
  if (error instanceof ImageProviderError) return error.transient;
  // fetch rejects with a TypeError when the connection fails; AbortSignal.timeout with a TimeoutError.
  return error instanceof Error && (error.name === 'TimeoutError' || error instanceof TypeError);
}

/** The provider's `Retry-After` (at most RETRY_AFTER_CAP_MS) when it sent one, else full jitter. */
function retryDelay(error: unknown, attempt: number, settings: ImageSettings): number {
  const asked = error instanceof ImageProviderError ? error.retryAfterMs : undefined;
  return asked === undefined ? fullJitterDelay(settings.retryBaseMs, attempt - 1) : Math.min(asked, RETRY_AFTER_CAP_MS);
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
