import type { Platform } from '../../schemas/common';

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

export interface ImageSize {
  width: number;
  height: number;
}
