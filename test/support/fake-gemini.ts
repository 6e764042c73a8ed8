import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for the Gemini API's `POST /v1beta/models/<model>:generateContent`. Each model
 * answers from its own scripted queue, in order; every request is recorded. Point the SDK at it
 * with GOOGLE_GEMINI_BASE_URL. A request with nothing scripted gets a 500 that names the model.
 * `GET /v1beta/models/<model>` (a model's metadata, what a key check asks) answers 200, or 400
 * API_KEY_INVALID for a key passed to rejectKey; those requests are recorded in `metadataRequests`.
 */
export type FakeReply = { status: number; body: unknown } | { hang: true };

export interface RecordedRequest {
  model: string;
  headers: IncomingHttpHeaders;
  body: any;
}

export interface FakeGemini {
  baseUrl: string;
  requests: RecordedRequest[];
  metadataRequests: Omit<RecordedRequest, 'body'>[];
  /** Makes every request with this API key fail as Gemini fails an invalid key. */
  rejectKey(apiKey: string): void;
  /** Appends replies to a model's queue. */
  script(model: string, ...replies: FakeReply[]): void;
  /** Replies scripted but not yet used, over all models. */
  unused(): number;
  reset(): void;
  close(): Promise<void>;
}

export interface Usage {
  promptTokenCount: number;
  candidatesTokenCount: number;
  thoughtsTokenCount?: number;
}

/** A 200 whose single candidate's text is `text`. */
export function textReply(
  text: string,
  usage: Usage = { promptTokenCount: 100, candidatesTokenCount: 20 },
  finishReason = 'STOP',
): FakeReply {
  const total = usage.promptTokenCount + usage.candidatesTokenCount + (usage.thoughtsTokenCount ?? 0);
  return {
    status: 200,
    body: {
      candidates: [{ content: { role: 'model', parts: [{ text }] }, finishReason, index: 0 }],
      usageMetadata: { ...usage, totalTokenCount: total },
      modelVersion: 'fake',
    },
  };
}

export function jsonReply(value: unknown, usage?: Usage): FakeReply {
  return textReply(JSON.stringify(value), usage);
}

/** An error in the API's shape, e.g. `errorReply(429, 'RESOURCE_EXHAUSTED')`. */
export function errorReply(status: number, apiStatus: string): FakeReply {
  return { status, body: { error: { code: status, message: `fake ${apiStatus}`, status: apiStatus } } };
}

export const HANG: FakeReply = { hang: true };

const ROUTE = /^\/v1beta\/models\/([^/:]+):generateContent$/;
const METADATA_ROUTE = /^\/v1beta\/models\/([^/:?]+)(\?.*)?$/;

const INVALID_KEY = {
  error: {
    code: 400,
    message: 'API key not valid. Please pass a valid API key.',
    status: 'INVALID_ARGUMENT',
    details: [{ reason: 'API_KEY_INVALID' }],
  },
};

export async function startFakeGemini(): Promise<FakeGemini> {
  const queues = new Map<string, FakeReply[]>();
  const requests: RecordedRequest[] = [];
  const metadataRequests: Omit<RecordedRequest, 'body'>[] = [];
  const rejected = new Set<string>();

  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };

  const server = createServer(async (req, res) => {
    const keyOf = () => String(req.headers['x-goog-api-key'] ?? '');
    const described = req.method === 'GET' ? METADATA_ROUTE.exec(req.url ?? '')?.[1] : undefined;
    if (described) {
      metadataRequests.push({ model: described, headers: req.headers });
      if (rejected.has(keyOf())) return send(res, 400, INVALID_KEY);
      return send(res, 200, { name: `models/${described}`, displayName: described, inputTokenLimit: 1048576, outputTokenLimit: 65536 });
    }
    const model = ROUTE.exec(req.url ?? '')?.[1];
    if (req.method !== 'POST' || !model) return send(res, 404, { error: { code: 404, message: `no route ${req.method} ${req.url}` } });
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    requests.push({ model, headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
    if (rejected.has(keyOf())) return send(res, 400, INVALID_KEY);
    const reply = queues.get(model)?.shift();
    if (!reply) return send(res, 500, { error: { code: 500, message: `fake Gemini: nothing scripted for ${model}` } });
    if ('hang' in reply) return; // never answers; the client's timeout has to end it
    send(res, reply.status, reply.body);
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    metadataRequests,
    rejectKey: (apiKey) => rejected.add(apiKey),
    script: (model, ...replies) => queues.set(model, [...(queues.get(model) ?? []), ...replies]),
    unused: () => [...queues.values()].reduce((n, q) => n + q.length, 0),
    reset: () => {
      queues.clear();
      requests.length = 0;
      metadataRequests.length = 0;
      rejected.clear();
    },
    close: () =>
      new Promise((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
