import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { handler as onboarding } from '../../functions/api/onboarding';
import { handler as getProfile } from '../../functions/api/profile-get';
import { handler as phase2 } from '../../functions/api/profile-phase2';
import { handler as completion } from '../../functions/api/profile-completion';
import { apiEvent, call } from '../support/api-event';

const ddb = mockClient(DynamoDBDocumentClient);
beforeEach(() => ddb.reset());

const phase1 = {
  userName: 'Ada',
  creatorType: 'educator',
  niche: 'personal finance',
  targetAudienceNiche: 'students',
  timeZone: 'Europe/Paris',
};
const storedProfile = {
  PK: 'USER#user-1',
  SK: 'PROFILE',
  userId: 'user-1',
  ...phase1,
  agentContext: { status: 'pending' },
  version: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

describe('POST /onboarding', () => {
  it('creates the user and the profile in one transaction keyed by the JWT subject', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    const res = await call(
      onboarding,
      apiEvent({ method: 'POST', path: '/onboarding', body: phase1, claims: { email: 'ada@example.com' } }),
    );
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ userId: 'user-1', ...phase1, phase2Completed: false, agentContext: { status: 'pending' } });
    expect(res.body.meta.requestId).toBe('req-1');
    const items = ddb.commandCalls(TransactWriteCommand)[0].args[0].input.TransactItems!;
    expect(items[0].Update?.Key).toEqual({ PK: 'USER#user-1', SK: 'USER' });
    expect(items[1].Put?.Item).toMatchObject({ PK: 'USER#user-1', SK: 'PROFILE' });
    expect(items[1].Put?.ConditionExpression).toBe('attribute_not_exists(PK)');
  });

  it('answers 409 PROFILE_EXISTS when the profile is already there', async () => {
    ddb.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({
        message: 'cancelled',
        $metadata: {},
        CancellationReasons: [{ Code: 'None' }, { Code: 'ConditionalCheckFailed' }],
      }),
    );
    const res = await call(onboarding, apiEvent({ method: 'POST', path: '/onboarding', body: phase1 }));
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('PROFILE_EXISTS');
  });

  it.each([
    ['an unknown field', { ...phase1, admin: true }, 'body'],
    ['a wrong type', { ...phase1, niche: 42 }, 'body.niche'],
    ['a missing field', { ...phase1, userName: undefined }, 'body.userName'],
    ['an invalid time zone', { ...phase1, timeZone: 'Mars/Olympus' }, 'body.timeZone'],
  ])('rejects %s with 400 VALIDATION_FAILED naming the field, writing nothing', async (_, body, path) => {
    const res = await call(onboarding, apiEvent({ method: 'POST', path: '/onboarding', body }));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.details.issues.map((i: { path: string }) => i.path)).toContain(path);
    expect(ddb.calls()).toHaveLength(0);
  });

  it('rejects malformed JSON with 400 INVALID_JSON', async () => {
    const res = await call(onboarding, apiEvent({ method: 'POST', path: '/onboarding', rawBody: '{"userName": ' }));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_JSON');
  });

  it('answers a missing body with 400 naming the body, not a parser error', async () => {
    const res = await call(onboarding, apiEvent({ method: 'POST', path: '/onboarding' }));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.details.issues[0].path).toBe('body');
  });

  it('rejects a non-JSON content type with 415', async () => {
    const res = await call(
      onboarding,
      apiEvent({ method: 'POST', path: '/onboarding', rawBody: 'a=b', headers: { 'content-type': 'text/plain' } }),
    );
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('rejects bodies over 64 KB with 413 before parsing', async () => {
    const res = await call(onboarding, apiEvent({ method: 'POST', path: '/onboarding', body: { ...phase1, niche: 'x'.repeat(70_000) } }));
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('rejects a request without a subject claim with 401', async () => {
    const res = await call(onboarding, apiEvent({ method: 'POST', path: '/onboarding', body: phase1, userId: null }));
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHORIZED');
  });

  it('hides unexpected failures behind 500 INTERNAL, with CORS and security headers', async () => {
    ddb.on(TransactWriteCommand).rejects(new Error('socket hang up at 10.0.0.7'));
    const res = await call(
      onboarding,
      apiEvent({ method: 'POST', path: '/onboarding', body: phase1, headers: { origin: 'https://app.example.com' } }),
    );
    expect(res.status).toBe(500);
    expect(res.body.error).toEqual({ code: 'INTERNAL', message: 'Something went wrong on our side' });
    expect(res.headers['access-control-allow-origin']).toBeDefined();
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });
});

describe('GET /profile and /profile/completion', () => {
  it('reads only the caller’s own profile item', async () => {
    ddb.on(GetCommand).resolves({ Item: storedProfile });
    const res = await call(getProfile, apiEvent({ path: '/profile' }));
    expect(res.status).toBe(200);
    expect(res.body.data).not.toHaveProperty('PK');
    expect(ddb.commandCalls(GetCommand)[0].args[0].input.Key).toEqual({ PK: 'USER#user-1', SK: 'PROFILE' });
  });

  it('answers 404 PROFILE_NOT_FOUND before onboarding', async () => {
    ddb.on(GetCommand).resolves({});
    const res = await call(completion, apiEvent({ path: '/profile/completion' }));
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('PROFILE_NOT_FOUND');
  });

  it('reports the missing phase-2 fields', async () => {
    ddb.on(GetCommand).resolves({ Item: storedProfile });
    const res = await call(completion, apiEvent({ path: '/profile/completion' }));
    expect(res.body.data.percentage).toBe(31);
    expect(res.body.data.missingFields).toHaveLength(11);
  });
});

describe('PATCH /profile/phase2', () => {
  it('sets only the fields sent, bumps the version and derives phase2Completed', async () => {
    ddb.on(UpdateCommand).resolves({ Attributes: { ...storedProfile, uniqueAngle: 'maths made fun', version: 2 } });
    const res = await call(phase2, apiEvent({ method: 'PATCH', path: '/profile/phase2', body: { uniqueAngle: 'maths made fun' } }));
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ uniqueAngle: 'maths made fun', version: 2, phase2Completed: false });
    const input = ddb.commandCalls(UpdateCommand)[0].args[0].input;
    expect(input.ExpressionAttributeNames).toEqual({ '#s0': 'uniqueAngle' });
    expect(input.ConditionExpression).toBe('attribute_exists(PK)');
  });

  it('rejects an empty body and unknown fields', async () => {
    for (const body of [{}, { favouriteColour: 'red' }]) {
      const res = await call(phase2, apiEvent({ method: 'PATCH', path: '/profile/phase2', body }));
      expect(res.status).toBe(400);
    }
    expect(ddb.calls()).toHaveLength(0);
  });

  it('answers 404 when there is no profile to update', async () => {
    ddb.on(UpdateCommand).rejects(new ConditionalCheckFailedException({ message: 'failed', $metadata: {} }));
    const res = await call(phase2, apiEvent({ method: 'PATCH', path: '/profile/phase2', body: { selfMotivation: 'teach' } }));
    expect(res.status).toBe(404);
  });
});
