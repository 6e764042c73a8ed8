import createClient, { type Client, type ClientOptions } from 'openapi-fetch';
import { errorCodes, type ErrorCode } from './error-codes.gen';
import type { components, paths } from './openapi.gen';

export { errorCodes, type ErrorCode, type components, type paths };
export type Schemas = components['schemas'];
export type CrescendoClient = Client<paths>;

/**
 * A typed client of the Crescendo API (openapi-fetch over the types openapi-typescript generates
 * from /openapi.json). `token` is a Clerk session token or an API key (`crk_…`); a function is
 * called before every request, so a short-lived session token can be refreshed.
 */
export function createCrescendoClient(options: { baseUrl: string; token: string | (() => string | Promise<string>) } & ClientOptions) {
  const { token, ...clientOptions } = options;
  const client = createClient<paths>(clientOptions);
  client.use({
    async onRequest({ request }) {
      request.headers.set('authorization', `Bearer ${typeof token === 'function' ? await token() : token}`);
      return request;
    },
  });
  return client;
}

/** What an error response says: the API's `{ error, meta }`, or API Gateway's own `{ message }` (its 401, 413, 429). */
type ErrorBody = { error?: { code?: string; message?: string; details?: unknown }; meta?: { requestId?: string }; message?: string };

const GATEWAY_CODES: Record<number, ErrorCode> = { 401: 'UNAUTHORIZED', 413: 'PAYLOAD_TOO_LARGE', 429: 'RATE_LIMITED' };

/** A refused request, with the API's stable code (typed to the codes the operation can answer when it comes from `unwrap`). */
export class CrescendoApiError<Code extends string = ErrorCode> extends Error {
  constructor(
    readonly status: number,
    readonly code: Code,
    message: string,
    readonly details?: unknown,
    readonly requestId?: string,
  ) {
    super(`${status} ${code}: ${message}`);
    this.name = 'CrescendoApiError';
  }

  static from(status: number, body: ErrorBody | undefined): CrescendoApiError {
    const code = body?.error?.code;
    const known = code !== undefined && (errorCodes as readonly string[]).includes(code);
    return new CrescendoApiError(
      status,
      known ? (code as ErrorCode) : (GATEWAY_CODES[status] ?? 'INTERNAL'),
      body?.error?.message ?? body?.message ?? `HTTP ${status}`,
      body?.error?.details,
      body?.meta?.requestId,
    );
  }
}

/** Narrows an unknown error to an API error with one of `codes`. */
export function isApiError<C extends ErrorCode>(error: unknown, ...codes: C[]): error is CrescendoApiError<C> {
  return error instanceof CrescendoApiError && (codes.length === 0 || (codes as string[]).includes(error.code));
}

type CodeOf<E> = E extends { error?: { code?: infer C } } ? (C extends string ? C : ErrorCode) : ErrorCode;
type Answer<D, E> = { data?: D; error?: E; response: Response };

/**
 * The `data` of a success envelope, or a thrown CrescendoApiError whose code is typed to the codes
 * this operation declares: `await unwrap(api.GET('/campaigns/{id}', { params: { path: { id } } }))`.
 */
export async function unwrap<D extends { data: unknown }, E>(call: Promise<Answer<D, E>>): Promise<D['data']> {
  const { data, error, response } = await call;
  if (error !== undefined || !response.ok)
    throw CrescendoApiError.from(response.status, error as ErrorBody) as CrescendoApiError<CodeOf<E>>;
  return data!.data;
}

/**
 * The `Idempotency-Key` header of the routes that honour it (start, retry, regenerate, complete,
 * analyze): a retry with the same key runs once (24 h). Keep the key to retry with it.
 */
export function idempotencyKey(key: string = crypto.randomUUID()): { 'Idempotency-Key': string } {
  return { 'Idempotency-Key': key };
}

/**
 * Every item of a cursor-paginated list, page after page (`meta.nextCursor`):
 * `for await (const item of paginate((cursor) => api.GET('/campaigns', { params: { query: { cursor } } })))`.
 */
export async function* paginate<T, E>(
  page: (cursor: string | undefined) => Promise<Answer<{ data: T[]; meta: { nextCursor?: string } }, E>>,
): AsyncGenerator<T> {
  let cursor: string | undefined;
  do {
    const { data, error, response } = await page(cursor);
    if (error !== undefined || !response.ok || !data) throw CrescendoApiError.from(response.status, error as ErrorBody);
    yield* data.data;
    cursor = data.meta.nextCursor;
  } while (cursor);
}

export type Job = Schemas['Job'];

/** Polls `GET /jobs/{id}` until the job has succeeded or failed (a failed job is returned, not thrown). */
export async function pollJob(
  client: CrescendoClient,
  jobId: string,
  options: { intervalMs?: number; timeoutMs?: number; onProgress?: (job: Job) => void } = {},
): Promise<Job> {
  const { intervalMs = 1000, timeoutMs = 5 * 60_000, onProgress } = options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await unwrap(client.GET('/jobs/{id}', { params: { path: { id: jobId } } }));
    onProgress?.(job);
    if (job.status === 'succeeded' || job.status === 'failed') return job;
    if (Date.now() > deadline) throw new Error(`job ${jobId} still ${job.status} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
