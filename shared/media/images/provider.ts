import type { ImageSize, ThumbnailRequest } from './request';
import type { ImageSettings } from './config';

/** What a remote provider answered, before validation: the bytes and the content type it claimed. */
export interface FetchedImage {
  bytes: Uint8Array;
  contentType: string;
}

export type RemoteImageProvider = (request: ThumbnailRequest, size: ImageSize, settings: ImageSettings) => Promise<FetchedImage>;
