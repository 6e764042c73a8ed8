import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localClient } from '../../dev/dynamodb';
import { startFixtures, type Api, type Fixtures, type TestStack } from '../support/fixtures';

let fixtures: Fixtures;
let stack: TestStack;
let api: Api;
let alice: string;
let bob: string;

const phase1 = {
  userName: 'Alice',
  creatorType: 'educator',
  niche: 'personal finance for students',
  targetAudienceNiche: 'first-year university students',
  timeZone: 'America/New_York',
};
const phase2 = {
  uniqueAngle: 'Budgeting with sketches',
  selfPurpose: 'Help students stop panicking about money',
  selfStrengths: ['drawing', 'explaining'],
  existingPlatforms: [{ platform: 'youtube', handle: '@alice', followers: 1200 }],
  targetPlatforms: ['youtube', 'tiktok'],
  selfTopics: ['budgets', 'student loans'],
  targetAudienceDemographics: { ageRange: '18-24', locations: ['US'] },
  competitorAccounts: ['@moneywithmo'],
  existingAssets: ['logo'],
  selfMotivation: 'I was broke in college',
  recommendedFrequency: 4,
};

async function storedProfile(userId: string) {
  const client = localClient(stack.dynamodbEndpoint);
  const { Item } = await client.send(
    new GetItemCommand({ TableName: stack.tableName, Key: { PK: { S: `USER#${userId}` }, SK: { S: 'PROFILE' } } }),
  );
  client.destroy();
  return Item;
}

beforeAll(async () => {
  fixtures = await startFixtures();
  ({ stack, api } = fixtures);
  alice = await stack.token('alice', { claims: { email: 'alice@example.com' } });
  bob = await stack.token('bob');
});
afterAll(() => stack?.dispose());

// Bad tokens on both authorizers: the generated token matrix in security.test.ts.
describe('the local API Gateway', () => {
  it('unknown routes are 404 like the cloud', async () => {
    expect((await api('GET', '/nope', { token: alice })).status).toBe(404);
  });
});

describe('creator onboarding journey', () => {
  it('onboards phase 1, creating the user and the profile', async () => {
    const res = await api('POST', '/onboarding', { token: alice, body: phase1 });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ userId: 'alice', ...phase1, phase2Completed: false, agentContext: { status: 'pending' } });
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await storedProfile('alice')).toBeDefined();
  });

  it('refuses a second onboarding with 409 PROFILE_EXISTS', async () => {
    const res = await api('POST', '/onboarding', { token: alice, body: { ...phase1, userName: 'Other' } });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('PROFILE_EXISTS');
    expect((await api('GET', '/profile', { token: alice })).body.data.userName).toBe('Alice');
  });

  it('reports 31% completion and the 11 missing phase-2 fields', async () => {
    const res = await api('GET', '/profile/completion', { token: alice });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ percentage: 31, phase1Completed: true, phase2Completed: false });
    expect(res.body.data.missingFields).toHaveLength(11);
  });

  it('accepts phase 2 in parts and derives phase2Completed', async () => {
    const { uniqueAngle, selfPurpose, ...rest } = phase2;
    const first = await api('PATCH', '/profile/phase2', { token: alice, body: { uniqueAngle, selfPurpose } });
    expect(first.status).toBe(200);
    expect(first.body.data).toMatchObject({ uniqueAngle, selfPurpose, phase2Completed: false, version: 2 });
    const second = await api('PATCH', '/profile/phase2', { token: alice, body: rest });
    expect(second.body.data).toMatchObject({ ...phase2, phase2Completed: true, version: 3 });
    const completion = await api('GET', '/profile/completion', { token: alice });
    expect(completion.body.data).toEqual({ percentage: 100, phase1Completed: true, phase2Completed: true, missingFields: [] });
  });

  it('a second user cannot see or change the first user’s profile', async () => {
    expect((await api('GET', '/profile', { token: bob })).status).toBe(404);
    expect((await api('PATCH', '/profile/phase2', { token: bob, body: { uniqueAngle: 'stolen' } })).status).toBe(404);
    expect((await api('GET', '/profile', { token: alice })).body.data.uniqueAngle).toBe(phase2.uniqueAngle);
  });
});

describe('bad input is a 4xx with a stable code, never a 500, nothing written', () => {
  it.each([
    ['malformed JSON', { rawBody: '{"userName":', headers: { 'content-type': 'application/json' } }, 400, 'INVALID_JSON'],
    ['a wrong type', { body: { ...phase1, niche: ['x'] } }, 400, 'VALIDATION_FAILED'],
    ['an unknown field', { body: { ...phase1, role: 'admin' } }, 400, 'VALIDATION_FAILED'],
    ['an oversized body', { body: { ...phase1, niche: 'x'.repeat(100_000) } }, 413, 'PAYLOAD_TOO_LARGE'],
    [
      'a form body',
      { rawBody: 'userName=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    ],
  ])('%s', async (_, options, status, code) => {
    const res = await api('POST', '/onboarding', { token: bob, ...options });
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
    expect(await storedProfile('bob')).toBeUndefined();
  });

  it('names the failing field paths', async () => {
    const res = await api('PATCH', '/profile/phase2', { token: alice, body: { recommendedFrequency: 0, targetPlatforms: ['myspace'] } });
    expect(res.status).toBe(400);
    const paths = res.body.error.details.issues.map((issue: { path: string }) => issue.path);
    expect(paths).toEqual(expect.arrayContaining(['body.recommendedFrequency', 'body.targetPlatforms.0']));
  });
});

describe('public routes', () => {
  it('GET /health checks the table', async () => {
    const res = await api('GET', '/health');
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ status: 'ok', version: expect.any(String), checks: { table: { ok: true } } });
  });

  it('GET /openapi.json and GET /docs are served without a token', async () => {
    const doc = await api('GET', '/openapi.json');
    expect(doc.body.paths['/onboarding'].post.operationId).toBe('CreateOnboarding');
    const page = await api('GET', '/docs');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
  });
});
