import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PNG } from 'pngjs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { encodePng } from '../../shared/media/png';
import { httpStatusError } from '../../shared/media/images/errors';
import { encodedPrompt, MAX_ENCODED_PROMPT } from '../../shared/media/images/pollinations';
import { IMAGE_ATTEMPTS, renderThumbnail, type ThumbnailRequest } from '../../shared/media/thumbnail';
import type { BrandAssetNote } from '../../shared/schemas/assets';
import { thumbnailRequest as workflowThumbnailRequest } from '../../shared/workflow/thumbnail';

/** A fake image service on 127.0.0.1: each test says how it answers and reads what it was asked. */
let answer: (request: IncomingMessage, body: string, response: ServerResponse) => void;
const received: { method?: string; url?: string; headers: IncomingMessage['headers']; body: string }[] = [];
const unfinished = new Set<ServerResponse>();
let server: Server;
let baseUrl: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    unfinished.add(response);
    response.on('close', () => unfinished.delete(response));
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      received.push({ method: request.method, url: request.url, headers: request.headers, body });
      answer(request, body, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  received.length = 0;
  vi.stubEnv('POLLINATIONS_BASE_URL', baseUrl);
  vi.stubEnv('GOOGLE_GEMINI_BASE_URL', baseUrl);
  vi.stubEnv('GEMINI_API_KEY', 'test');
  vi.stubEnv('GEMINI_IMAGE_MODEL', 'gemini-test-image');
  vi.stubEnv('IMAGE_PROVIDER_TIMEOUT_MS', '400');
  vi.stubEnv('IMAGE_RETRY_BASE_MS', '5');
});

afterEach(() => {
  vi.unstubAllEnvs();
  // Only the connections of answers left hanging: the client keeps the others alive for the next test.
  for (const response of unfinished) response.destroy();
});

const thumbnailRequest: ThumbnailRequest = {
  title: 'Morning mobility in 10 minutes',
  prompt: 'a person stretching at sunrise, warm light',
  platform: 'youtube',
  niche: 'fitness',
  seed: 'campaign-7/day-1/youtube',
};

const remotePng = encodePng(64, 36, new Uint8Array(64 * 36 * 3).fill(200));
const htmlErrorPage = '<!doctype html><html><body><h1>502 Bad Gateway</h1></body></html>';

function send(
  response: ServerResponse,
  status: number,
  contentType: string,
  body: string | Uint8Array,
  headers: Record<string, string> = {},
) {
  response.writeHead(status, { 'content-type': contentType, ...headers });
  response.end(body);
}

function sendGeminiParts(response: ServerResponse, parts: unknown[]) {
  send(response, 200, 'application/json', JSON.stringify({ candidates: [{ content: { role: 'model', parts } }] }));
}

/** The offline card at the platform's size, with the reason it replaced the provider's answer. */
async function expectOfflineFallback(provider: string, reason: string) {
  const image = await renderThumbnail(thumbnailRequest);
  expect(image).toMatchObject({
    provider: `offline (fallback from ${provider}: ${reason})`,
    contentType: 'image/png',
    width: 1280,
    height: 720,
  });
  expect(PNG.sync.read(Buffer.from(image.bytes)).width).toBe(1280);
}

describe('pollinations provider', () => {
  beforeEach(() => vi.stubEnv('IMAGE_PROVIDER', 'pollinations'));

  it('asks for the prompt at the platform size with a numeric seed and returns the validated image', async () => {
    answer = (_, __, response) => send(response, 200, 'image/png', remotePng);
    const image = await renderThumbnail(thumbnailRequest);
    expect(image).toMatchObject({ provider: 'pollinations', contentType: 'image/png', width: 64, height: 36 });
    expect(Buffer.from(image.bytes).equals(remotePng)).toBe(true);

    const url = new URL(received[0].url ?? '', baseUrl);
    expect(decodeURIComponent(url.pathname)).toBe(`/prompt/${thumbnailRequest.prompt}`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      width: '1280',
      height: '720',
      seed: expect.stringMatching(/^\d+$/),
      nologo: 'true',
    });
    await renderThumbnail(thumbnailRequest);
    expect(new URL(received[1].url ?? '', baseUrl).searchParams.get('seed')).toBe(url.searchParams.get('seed'));
  });

  it('falls back to the offline card on an HTML error page served as 200', async () => {
    answer = (_, __, response) => send(response, 200, 'text/html; charset=utf-8', htmlErrorPage);
    await expectOfflineFallback('pollinations', 'InvalidImage');
  });

  it('falls back at once when the bytes do not match the content type', async () => {
    answer = (_, __, response) => send(response, 200, 'image/jpeg', remotePng);
    await expectOfflineFallback('pollinations', 'InvalidImage');
    expect(received).toHaveLength(1);
  });

  it('retries a 429 and keeps the image of the next attempt, waiting the Retry-After it was given', async () => {
    let calls = 0;
    answer = (_, __, response) =>
      ++calls === 1 ? send(response, 429, 'text/plain', 'slow down', { 'retry-after': '1' }) : send(response, 200, 'image/png', remotePng);
    const started = performance.now();
    const image = await renderThumbnail(thumbnailRequest);
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
    expect(image).toMatchObject({ provider: 'pollinations', width: 64, height: 36 });
    expect(Buffer.from(image.bytes).equals(remotePng)).toBe(true);
    expect(received).toHaveLength(2);
    expect(received[1].url).toBe(received[0].url);
  });

  it('gives up a 503 storm after IMAGE_ATTEMPTS attempts and says so', async () => {
    answer = (_, __, response) => send(response, 503, 'text/plain', 'busy');
    await expectOfflineFallback('pollinations', `HTTP 503 after ${IMAGE_ATTEMPTS} attempts`);
    expect(received).toHaveLength(IMAGE_ATTEMPTS);
  });

  it('does not retry a 400', async () => {
    answer = (_, __, response) => send(response, 400, 'text/plain', 'bad prompt');
    await expectOfflineFallback('pollinations', 'HTTP 400');
    expect(received).toHaveLength(1);
  });

  it('retries a refused connection', async () => {
    vi.stubEnv('POLLINATIONS_BASE_URL', 'http://127.0.0.1:9');
    await expectOfflineFallback('pollinations', `TypeError after ${IMAGE_ATTEMPTS} attempts`);
  });

  it('retries when the server never answers, within IMAGE_BUDGET_MS', async () => {
    answer = () => {};
    const started = Date.now();
    await expectOfflineFallback('pollinations', `TimeoutError after ${IMAGE_ATTEMPTS} attempts`);
    expect(received).toHaveLength(IMAGE_ATTEMPTS);
    expect(Date.now() - started).toBeLessThan(5_000);

    // Room for one 400 ms attempt, not for a second one.
    vi.stubEnv('IMAGE_BUDGET_MS', '600');
    received.length = 0;
    await expectOfflineFallback('pollinations', 'TimeoutError');
    expect(received).toHaveLength(1);
  });

  it('caps the encoded prompt in the URL, cutting the brand notes and keeping the instruction and title', async () => {
    answer = (_, __, response) => send(response, 200, 'image/png', remotePng);
    const notes: BrandAssetNote[] = Array.from({ length: 10 }, (_, i) => ({
      assetId: `01KMZ3Q0X8S7M2A4B5C6D7E8F${i}`,
      type: 'image/png',
      purpose: 'logo',
      description: `Logo ${i}: ünïcödé wave on teal, "quoted" & spaced, primary colour #0E9F9A. `.repeat(6).slice(0, 500),
    }));
    const ref = { userId: 'u1', campaignId: 'c1', attempt: 1 };
    const request = workflowThumbnailRequest(ref, 3, 'youtube', { title: 'Stretch before you sit' }, 'fitness', notes);
    expect(request.prompt.length).toBeGreaterThan(4_000);

    await renderThumbnail(request);
    const path = received[0].url!.split('?')[0];
    expect(path.length).toBeLessThanOrEqual('/prompt/'.length + MAX_ENCODED_PROMPT);
    const sent = decodeURIComponent(path.slice('/prompt/'.length));
    expect(sent).toContain('Eye-catching thumbnail about "Stretch before you sit" for a fitness audience. 16:9 YouTube thumbnail');
    expect(request.prompt.startsWith(sent)).toBe(true);
    expect(sent.length).toBeLessThan(request.prompt.length);
  });

  it('never splits a character when it cuts the prompt', () => {
    const encoded = encodedPrompt('🎨'.repeat(1000));
    expect(encoded.length).toBeLessThanOrEqual(MAX_ENCODED_PROMPT);
    expect(decodeURIComponent(encoded)).toBe('🎨'.repeat(encoded.length / 12));
    expect(encodedPrompt(thumbnailRequest.prompt)).toBe(encodeURIComponent(thumbnailRequest.prompt));
  });

  it('falls back when the body stalls halfway', async () => {
    answer = (_, __, response) => {
      response.writeHead(200, { 'content-type': 'image/png' });
      response.write(remotePng.subarray(0, 40));
    };
    await expectOfflineFallback('pollinations', `TimeoutError after ${IMAGE_ATTEMPTS} attempts`);
  });

  it('stops reading a body over MAX_IMAGE_BYTES', async () => {
    // Room for the offline card (about 150 KB), not for the 2 MB answer.
    vi.stubEnv('MAX_IMAGE_BYTES', '500000');
    answer = (_, __, response) => send(response, 200, 'image/png', new Uint8Array(2 * 1024 * 1024));
    await expectOfflineFallback('pollinations', 'InvalidImage');
  });
});

describe('gemini provider', () => {
  beforeEach(() => vi.stubEnv('IMAGE_PROVIDER', 'gemini'));

  it('calls generateContent on the configured model for an image in the platform ratio and decodes inlineData', async () => {
    answer = (_, __, response) =>
      sendGeminiParts(response, [
        { text: 'Here is your image' },
        { inlineData: { mimeType: 'image/png', data: Buffer.from(remotePng).toString('base64') } },
      ]);
    const image = await renderThumbnail({ ...thumbnailRequest, platform: 'tiktok' });
    expect(image).toMatchObject({ provider: 'gemini', contentType: 'image/png', width: 64, height: 36 });
    expect(Buffer.from(image.bytes).equals(remotePng)).toBe(true);

    const [call] = received;
    expect(call.method).toBe('POST');
    expect(call.url).toMatch(/\/models\/gemini-test-image:generateContent$/);
    expect(call.headers['x-goog-api-key']).toBe('test');
    expect(JSON.parse(call.body)).toMatchObject({
      contents: [{ parts: [{ text: thumbnailRequest.prompt }] }],
      generationConfig: { responseModalities: ['IMAGE'], imageConfig: { aspectRatio: '9:16' } },
    });
  });

  it('falls back when the image part is not the image it claims to be', async () => {
    answer = (_, __, response) =>
      sendGeminiParts(response, [{ inlineData: { mimeType: 'image/png', data: Buffer.from(htmlErrorPage).toString('base64') } }]);
    await expectOfflineFallback('gemini', 'InvalidImage');
  });

  it('falls back when the answer has no image', async () => {
    answer = (_, __, response) => sendGeminiParts(response, [{ text: 'I cannot draw that.' }]);
    await expectOfflineFallback('gemini', 'no image in the response');
  });

  it('falls back on an HTML error page', async () => {
    answer = (_, __, response) => send(response, 200, 'text/html', htmlErrorPage);
    await expectOfflineFallback('gemini', 'SyntaxError');
  });

  it('retries a 429 and keeps the image of the next attempt', async () => {
    let calls = 0;
    answer = (_, __, response) =>
      ++calls === 1
        ? send(response, 429, 'application/json', JSON.stringify({ error: { code: 429, message: 'quota', status: 'RESOURCE_EXHAUSTED' } }))
        : sendGeminiParts(response, [{ inlineData: { mimeType: 'image/png', data: Buffer.from(remotePng).toString('base64') } }]);
    await expect(renderThumbnail(thumbnailRequest)).resolves.toMatchObject({ provider: 'gemini', width: 64, height: 36 });
    expect(received).toHaveLength(2);
  });

  it('gives up a 500 storm after IMAGE_ATTEMPTS attempts', async () => {
    answer = (_, __, response) =>
      send(response, 500, 'application/json', JSON.stringify({ error: { code: 500, message: 'internal', status: 'INTERNAL' } }));
    await expectOfflineFallback('gemini', `HTTP 500 after ${IMAGE_ATTEMPTS} attempts`);
    expect(received).toHaveLength(IMAGE_ATTEMPTS);
  });

  it('does not retry a 400', async () => {
    answer = (_, __, response) =>
      send(response, 400, 'application/json', JSON.stringify({ error: { code: 400, message: 'bad', status: 'INVALID_ARGUMENT' } }));
    await expectOfflineFallback('gemini', 'HTTP 400');
    expect(received).toHaveLength(1);
  });

  it('falls back when the server never answers', async () => {
    answer = () => {};
    await expectOfflineFallback('gemini', `TimeoutError after ${IMAGE_ATTEMPTS} attempts`);
  });

  it('falls back without calling anything when GEMINI_API_KEY is missing', async () => {
    vi.stubEnv('GEMINI_API_KEY', undefined);
    await expectOfflineFallback('gemini', 'GEMINI_API_KEY is not set');
    expect(received).toHaveLength(0);
  });
});

describe('httpStatusError', () => {
  it('marks 429 and 5xx transient and reads Retry-After in seconds or as an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(httpStatusError(429, '3', now)).toMatchObject({ message: 'HTTP 429', transient: true, retryAfterMs: 3000 });
    expect(httpStatusError(503, 'Thu, 01 Jan 2026 00:00:05 GMT', now)).toMatchObject({ transient: true, retryAfterMs: 5000 });
    expect(httpStatusError(502, 'soon', now)).toMatchObject({ transient: true, retryAfterMs: undefined });
    expect(httpStatusError(404, null, now)).toMatchObject({ transient: false });
  });
});

describe('OFFLINE_IMAGE_LATENCY_MS', () => {
  it('delays the offline card by that much', async () => {
    vi.stubEnv('OFFLINE_IMAGE_LATENCY_MS', '300');
    vi.stubEnv('IMAGE_PROVIDER', 'offline');
    const started = performance.now();
    await expect(renderThumbnail(thumbnailRequest)).resolves.toMatchObject({ provider: 'offline' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('does not delay the card that replaces a failed provider', async () => {
    vi.stubEnv('OFFLINE_IMAGE_LATENCY_MS', '30000');
    vi.stubEnv('IMAGE_PROVIDER', 'pollinations');
    answer = (_, __, response) => send(response, 500, 'text/plain', 'boom');
    const started = performance.now();
    await expectOfflineFallback('pollinations', `HTTP 500 after ${IMAGE_ATTEMPTS} attempts`);
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});
