import { expect } from 'vitest';
import type { Api, Creator } from './fixtures';

/**
 * One fixture factory per resource kind (the first segment of a route's path): it creates one such
 * resource for a creator through the API and returns the path parameters that address it. The BOLA
 * sweep (test/integration/security.test.ts) and the route fuzzer (test/integration/route-fuzz.test.ts)
 * look a route's kind up here; a kind without a factory fails both. A new resource kind adds its
 * factory here, nothing else.
 */
export type ResourceFactory = (owner: Creator, api: Api, shared: SharedSetup) => Promise<Record<string, string>>;

/** What several kinds build on, made once per owner: a generated campaign and its first content item. */
export interface SharedSetup {
  generatedCampaign(): Promise<{ id: string; day: string; platform: string }>;
}

export const RESOURCE_FACTORIES: Record<string, ResourceFactory> = {
  // `n`: re-plan 1, which the owner's campaign does not have; another creator still gets the campaign's 404 first.
  campaigns: async (_owner, _api, shared) => ({ ...(await shared.generatedCampaign()), n: '1' }),
  jobs: async (owner, api) => {
    const res = await api('POST', '/profile/analyze', { token: owner.token });
    expect(res.status, 'POST /profile/analyze').toBe(202);
    return { id: res.body.data.jobId };
  },
  notifications: async (owner, api, shared) => {
    await shared.generatedCampaign(); // announces campaign.generated
    const res = await api('GET', '/notifications', { token: owner.token });
    expect(res.body.data.length, 'notifications of the owner').toBeGreaterThan(0);
    return { id: res.body.data[0].notificationId };
  },
  webhooks: async (owner, api) => {
    const res = await api('POST', '/webhooks', {
      token: owner.token,
      body: { url: 'http://127.0.0.1:9/hook', eventTypes: ['campaign.generated'] },
    });
    expect(res.status, 'POST /webhooks').toBe(201);
    return { id: res.body.data.webhookId };
  },
  assets: async (owner, api) => {
    const res = await api('POST', '/assets', { token: owner.token, body: { type: 'image/png', size: 1024 } });
    expect(res.status, 'POST /assets').toBe(201);
    return { id: res.body.data.asset.assetId };
  },
  /** The path parameter names a platform of the caller's own account: the owner connects X through the local X server. */
  connections: async (owner, api) => {
    const started = await api('POST', '/connections/x', { token: owner.token, body: {} });
    expect(started.status, 'POST /connections/x').toBe(200);
    const consent = await fetch(started.body.data.authorizationUrl, { redirect: 'manual' });
    const callback = new URL(consent.headers.get('location')!);
    const completed = await api('GET', callback.pathname + callback.search);
    expect(completed.status, 'GET /connections/x/callback').toBeLessThan(400);
    return { platform: 'x' };
  },
  'api-keys': async (owner, api) => {
    const res = await api('POST', '/api-keys', { token: owner.token, body: { name: 'bola', scopes: ['campaigns:read'] } });
    expect(res.status, 'POST /api-keys').toBe(201);
    return { id: res.body.data.keyId };
  },
};

/** The SharedSetup of one owner, each piece made on first use. */
export function sharedSetup(owner: Creator, api: Api): SharedSetup {
  let campaign: Promise<{ id: string; day: string; platform: string }> | undefined;
  return {
    generatedCampaign: () =>
      (campaign ??= (async () => {
        // On X, a platform every {platform} parameter under /campaigns accepts (content days and the publishing mode).
        const { campaignId } = await owner.campaign({ platforms: ['x'] }).generated();
        const content = await api('GET', `/campaigns/${campaignId}/content`, { token: owner.token });
        const [first] = content.body.data;
        return { id: campaignId, day: String(first.day), platform: first.platform };
      })()),
  };
}

/** A route's resource kind: the first segment of its path (`/campaigns/{id}/stats` → `campaigns`). */
export const resourceKindOf = (path: string) => path.split('/')[1];

/** The path with its `{name}` parameters filled from `params`; throws for a parameter the factory did not give. */
export function fillPath(path: string, params: Record<string, string>): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => {
    if (!(name in params)) throw new Error(`The factory of ${resourceKindOf(path)} gives no {${name}} for ${path}`);
    return encodeURIComponent(params[name]);
  });
}
