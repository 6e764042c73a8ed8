import { ApiError, GoogleGenAI } from '@google/genai';
import type { ImageSize, ThumbnailRequest } from './request';
import type { ImageSettings } from './config';
import { httpStatusError, ImageProviderError } from './errors';
import type { FetchedImage } from './provider';

/**
 * An image from a Gemini image model (`generateContent`, image output). The SDK takes its endpoint
 * from GOOGLE_GEMINI_BASE_URL when set; it retries nothing unless asked, so one call is one request.
 */
export async function geminiImage(request: ThumbnailRequest, size: ImageSize, settings: ImageSettings): Promise<FetchedImage> {
  if (!settings.geminiApiKey) throw new ImageProviderError('GEMINI_API_KEY is not set');
  const client = new GoogleGenAI({ apiKey: settings.geminiApiKey, vertexai: false });
  const timeout = AbortSignal.timeout(settings.timeoutMs);
  const response = await client.models
    .generateContent({
      model: settings.geminiModel,
      contents: request.prompt,
      config: {
        responseModalities: ['IMAGE'],
        imageConfig: { aspectRatio: aspectRatio(size) },
        abortSignal: timeout,
      },
    })
    .catch((error: unknown) => {
      // The SDK aborts with a plain AbortError; the signal's own reason says it was the timeout.
      if (timeout.aborted) throw timeout.reason;
      throw error instanceof ApiError ? httpStatusError(error.status) : error;
    });
  const image = response.candidates?.[0]?.content?.parts?.find((part) => part.inlineData?.data)?.inlineData;
  if (!image?.data) throw new ImageProviderError('no image in the response');
  return { bytes: Buffer.from(image.data, 'base64'), contentType: image.mimeType ?? '' };
}

/** "16:9" for 1280×720: the ratio Gemini's imageConfig expects. */
function aspectRatio({ width, height }: ImageSize): string {
  const divisor = greatestCommonDivisor(width, height);
  return `${width / divisor}:${height / divisor}`;
}

function greatestCommonDivisor(a: number, b: number): number {
  return b === 0 ? a : greatestCommonDivisor(b, a % b);
}
