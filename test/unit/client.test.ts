import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createCrescendoClient, CrescendoApiError, errorCodes, idempotencyKey, isApiError, paginate, pollJob, unwrap } from '../../client';
import { generateClientSources } from '../../dev/generate-client';
import { errorStatus } from '../../shared/core/errors';

type Answer = { status: number; body: unknown };

/** A client whose fetch answers from `answers` in turn and records every request. */
function clientWith(...answers: Answer[]) {
  const requests: Request[] = [];
  const client = createCrescendoClient({
    baseUrl: 'https://api.example.test',
    token: () => 'crk_test',
    fetch: async (request: Request) => {
      requests.push(request);
      const { status, body } = answers.shift()!;
      return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
    },
  });
  return { client, requests };
}

const meta = (nextCursor?: string) => ({ requestId: 'r', timestamp: '2026-12-01T00:00:00.000Z', ...(nextCursor && { nextCursor }) });

describe('typed client', () => {
  it('is what `npm run client:generate` writes from the current /openapi.json (run it after changing a route or schema)', async () => {
    for (const [file, source] of Object.entries(await generateClientSources())) {
      expect(readFileSync(`client/${file}`, 'utf8') === source, `client/${file} drifted from /openapi.json: npm run client:generate`).toBe(
        true,
      );
    }
  });

  it('knows every stable error code the server has', () => {
    expect([...errorCodes].sort()).toEqual(Object.keys(errorStatus).sort());
  });

  it('unwraps data, throws the stable code of an error envelope, maps API Gateway’s own 401', async () => {
    const { client, requests } = clientWith(
      { status: 200, body: { data: { campaignId: 'c-1' }, meta: meta() } },
      { status: 404, body: { error: { code: 'CAMPAIGN_NOT_FOUND', message: 'No such campaign' }, meta: meta() } },
      { status: 401, body: { message: 'Unauthorized' } },
    );
    const path = { id: 'c-1' };
    expect((await unwrap(client.GET('/campaigns/{id}', { params: { path } }))).campaignId).toBe('c-1');
    expect(requests[0].headers.get('authorization')).toBe('Bearer crk_test');
    const missing = await unwrap(client.GET('/campaigns/{id}', { params: { path } })).catch((error: unknown) => error);
    expect(isApiError(missing, 'CAMPAIGN_NOT_FOUND')).toBe(true);
    expect(missing).toMatchObject({ status: 404, code: 'CAMPAIGN_NOT_FOUND', requestId: 'r' });
    const refused = await unwrap(client.GET('/campaigns/{id}', { params: { path } })).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(CrescendoApiError);
    expect(refused).toMatchObject({ status: 401, code: 'UNAUTHORIZED', message: '401 UNAUTHORIZED: Unauthorized' });
  });

  it('sends an Idempotency-Key, and keeps a given one for the retry', async () => {
    const { client, requests } = clientWith(
      { status: 202, body: { data: {}, meta: meta() } },
      { status: 202, body: { data: {}, meta: meta() } },
    );
    await client.POST('/campaigns/{id}/start', { params: { path: { id: 'c-1' }, header: idempotencyKey() } });
    await client.POST('/campaigns/{id}/start', { params: { path: { id: 'c-1' }, header: idempotencyKey('retry-me') } });
    expect(requests[0].headers.get('idempotency-key')).toMatch(/^[0-9a-f-]{36}$/);
    expect(requests[1].headers.get('idempotency-key')).toBe('retry-me');
  });

  it('iterates a cursor-paginated list across pages', async () => {
    const { client, requests } = clientWith(
      { status: 200, body: { data: [{ campaignId: 'a' }, { campaignId: 'b' }], meta: meta('page-2') } },
      { status: 200, body: { data: [{ campaignId: 'c' }], meta: meta() } },
    );
    const ids: string[] = [];
    for await (const campaign of paginate((cursor) => client.GET('/campaigns', { params: { query: { limit: 2, cursor } } }))) {
      ids.push(campaign.campaignId);
    }
    expect(ids).toEqual(['a', 'b', 'c']);
    expect(new URL(requests[1].url).searchParams.get('cursor')).toBe('page-2');
  });

  it('polls a job until it has succeeded', async () => {
    const job = (status: string) => ({ status: 200, body: { data: { jobId: 'j-1', status }, meta: meta() } });
    const { client } = clientWith(job('queued'), job('running'), job('succeeded'));
    const seen: string[] = [];
    const done = await pollJob(client, 'j-1', { intervalMs: 1, onProgress: (j) => seen.push(j.status) });
    expect(done.status).toBe('succeeded');
    expect(seen).toEqual(['queued', 'running', 'succeeded']);
  });
});
