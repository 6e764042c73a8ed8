import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCrescendoClient, idempotencyKey, paginate, unwrap, type Schemas } from '../client';
import { campaignExecutions } from '../shared/db/execution-store';
import { windowContaining } from '../shared/domain/due-window';
import { loadOrCreateDevKeys, signDevToken } from './jwt';
import { invokeLocal } from './lambda-runtime';
import { scheduledEvent } from './scheduler';
import { startLocalStack, type LocalStack } from './stack';
import { dataDir, runningStack } from './state';

/**
 * `npm run demo`: the product in one command. Uses the running `npm start` stack if there is one,
 * else starts a throwaway one; onboards a sample creator, runs a 14-day campaign on YouTube,
 * X and Bluesky and prints what a creator would see. On a throwaway stack it then closes the loop:
 * connects X (OAuth against the local X server) and Bluesky (app password on the local PDS),
 * publishes the first posts automatically and imports their numbers back.
 */
export const sampleCreator = {
  userName: 'Maya Chen',
  creatorType: 'educator',
  niche: 'personal finance for university students',
  targetAudienceNiche: 'first-year students living on a tight budget',
  timeZone: 'Europe/Paris',
} satisfies Schemas['OnboardingRequest'];
export const sampleCreatorDetails = {
  uniqueAngle: 'Budgeting explained with hand-drawn sketches and real student receipts',
  selfPurpose: 'Help students stop panicking about money before the end of the month',
  selfStrengths: ['drawing', 'explaining numbers simply'],
  existingPlatforms: [{ platform: 'youtube', handle: '@mayasketchesmoney', followers: 1200 }],
  targetPlatforms: ['youtube', 'tiktok', 'instagram'],
  selfTopics: ['student budgets', 'saving on groceries', 'first bank account', 'side hustles'],
  targetAudienceDemographics: { ageRange: '18-22', locations: ['France', 'Belgium'], interests: ['studying abroad', 'cooking cheap'] },
  competitorAccounts: ['@studentmoneytips', '@frugalcampus'],
  existingAssets: ['logo', 'sketchbook scans'],
  selfMotivation: 'I ran out of money in my first semester and learned the hard way',
  recommendedFrequency: 5,
} satisfies Schemas['Phase2Request'];
const campaign = {
  name: 'Winter budget bootcamp',
  goal: { type: 'followers', metric: 'YouTube subscribers', target: 2000, baseline: 1200 },
  durationDays: 14,
  startDate: new Date(Date.now() + 86_400_000).toISOString().slice(0, 10),
  platforms: [
    { platform: 'youtube', postsPerWeek: 2 },
    { platform: 'x', postsPerWeek: 5 },
    { platform: 'bluesky', postsPerWeek: 5 },
  ],
  competitors: sampleCreatorDetails.competitorAccounts,
  agentConfig: { tone: 'warm, encouraging and concrete', language: 'en', critiqueBar: 7, maxCritiqueRounds: 1 },
} satisfies Schemas['CampaignPatchInput'];

/** A stage before the plan exists (context, strategy) has no posts to count: it shows its name alone. */
export function progressLine(step: string, done: number, total: number): string {
  const width = 30;
  const filled = total > 0 ? Math.round((done / total) * width) : 0;
  return `  [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${total > 0 ? `${step.padEnd(12)} ${done}/${total} posts` : step}`;
}

type ContentItem = Schemas['ContentItem'];

/** The schedule as a creator reads it: by day, and within a day by local time. */
export const bySchedule = (a: Pick<ContentItem, 'day' | 'localTime'>, b: Pick<ContentItem, 'day' | 'localTime'>) =>
  a.day - b.day || a.localTime.localeCompare(b.localTime);

/** One post in full, as the creator would copy it. */
export function fullPost(item: Pick<ContentItem, 'day' | 'localTime' | 'platform' | 'title' | 'script' | 'post' | 'seoTags'>): string {
  return [
    `Day ${item.day}, ${item.localTime}, ${item.platform}: ${item.title ?? '(not written)'}`,
    ...(item.script
      ? [
          `  Script hook: ${item.script.hook}`,
          ...item.script.body.split('\n').map((line) => `    ${line}`),
          `  Spoken CTA: ${item.script.cta}`,
        ]
      : []),
    ...(item.post ?? '').split('\n').map((line) => `  | ${line}`),
    `  Tags: ${(item.seoTags ?? []).join(', ')}`,
  ].join('\n');
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column])).join('  ')).join('\n');
}

/** The stack in this process, for the part of the demo that plays the platforms and the schedules: the local X and Bluesky, the triggers. */
export interface DemoPlatforms {
  stack: Pick<LocalStack, 'x' | 'bluesky' | 'asyncIdle' | 'tableName'>;
  userId: string;
}

/** Posts of each connected platform the demo publishes automatically. */
export const DEMO_PUBLISHED_EACH = 2;

export async function runDemo(
  apiUrl: string,
  token: string,
  log: (line: string) => void = console.log,
  platforms?: DemoPlatforms,
): Promise<void> {
  const api = createCrescendoClient({ baseUrl: apiUrl, token });
  log(`Onboarding ${sampleCreator.userName} (${sampleCreator.niche})…`);
  await unwrap(api.POST('/onboarding', { body: sampleCreator }));
  await unwrap(api.PATCH('/profile/phase2', { body: sampleCreatorDetails }));
  const shell = await unwrap(api.POST('/campaigns', { body: { name: campaign.name } }));
  const id = shell.campaignId;
  const path = { id };
  await unwrap(api.PATCH('/campaigns/{id}/onboarding', { params: { path }, body: campaign }));
  await unwrap(api.POST('/campaigns/{id}/complete-onboarding', { params: { path } }));
  log(`Starting "${campaign.name}": ${campaign.durationDays} days on ${campaign.platforms.map((p) => p.platform).join(', ')}…`);
  await unwrap(api.POST('/campaigns/{id}/start', { params: { path, header: idempotencyKey() } }));

  const live = process.stdout.isTTY;
  let status = 'generating';
  let lastLine = '';
  const deadline = Date.now() + 5 * 60_000;
  while (status === 'generating') {
    if (Date.now() > deadline) throw new Error('generation did not finish in 5 minutes');
    const data = await unwrap(api.GET('/campaigns/{id}', { params: { path } }));
    status = data.status;
    const line = progressLine(data.progress?.step ?? 'queued', data.progress?.postsDone ?? 0, data.progress?.postsTotal ?? 0);
    if (line !== lastLine) {
      if (live) process.stdout.write(`\r${line}`);
      else log(line);
    }
    lastLine = line;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  if (live) process.stdout.write('\n');
  if (status !== 'in_progress') {
    const data = await unwrap(api.GET('/campaigns/{id}', { params: { path } }));
    throw new Error(`generation ended ${status}: ${JSON.stringify(data.failure)}`);
  }

  const items: ContentItem[] = [];
  for await (const item of paginate((cursor) => api.GET('/campaigns/{id}/content', { params: { path, query: { limit: 100, cursor } } }))) {
    items.push(item);
  }

  log(`\nSchedule (${sampleCreator.timeZone}):\n`);
  log(
    table([
      ['day', 'date', 'time', 'platform', 'score', 'title'],
      ...[...items]
        .sort(bySchedule)
        .map((item) => [
          String(item.day),
          item.date,
          item.localTime,
          item.platform,
          item.critique ? item.critique.score.toFixed(1) : '—',
          item.title ?? '(not written)',
        ]),
    ]),
  );

  const firstOfEach = [...items]
    .sort(bySchedule)
    .filter((item, i, all) => all.findIndex((other) => other.platform === item.platform) === i);
  log('\nThe first post of each platform, in full:\n');
  for (const item of firstOfEach.slice(0, 3)) log(`${fullPost(item)}\n`);

  const thumbnails = items.filter((item) => item.thumbnailUrl).slice(0, 3);
  if (thumbnails.length === 0) throw new Error('no thumbnails were produced');
  log('\nThumbnails (presigned, valid 15 minutes):');
  for (const item of thumbnails) log(`  day ${item.day} ${item.platform}: ${item.thumbnailUrl}`);
  const bytes = new Uint8Array(await (await fetch(thumbnails[0].thumbnailUrl as string)).arrayBuffer());
  const isPng = bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47;
  if (!isPng) throw new Error('the first thumbnail is not a PNG');
  log(`  fetched day ${thumbnails[0].day} ${thumbnails[0].platform}: a ${bytes.length}-byte PNG ✔`);
  const stats = await unwrap(api.GET('/campaigns/{id}/stats', { params: { path } }));
  log(`\n${stats.posts.planned} posts planned · ${stats.llm.calls} LLM calls · ${stats.images} images · $${stats.llm.costUsd.toFixed(4)}`);
  if (!platforms) {
    log('\n(Publishing and the metrics import run on a throwaway stack: stop `npm start` to see them here.)');
    return;
  }
  await closeTheLoop(api, id, items, platforms, log);
}

type Api = ReturnType<typeof createCrescendoClient>;

/**
 * Connects X and Bluesky, publishes the first DEMO_PUBLISHED_EACH approved posts of each through
 * the posting trigger in their windows, gives them numbers on the platforms, runs the platform
 * import at the 1 h checkpoint and prints what was published and imported.
 */
async function closeTheLoop(
  api: Api,
  campaignId: string,
  items: ContentItem[],
  { stack, userId }: DemoPlatforms,
  log: (line: string) => void,
) {
  const path = { id: campaignId };
  log('\nConnecting X (OAuth 2.0 + PKCE against the local X server) and Bluesky (app password on the local PDS)…');
  const started = await unwrap(api.POST('/connections/{platform}', { params: { path: { platform: 'x' } }, body: {} }));
  const consent = await fetch(started.authorizationUrl as string, { redirect: 'manual' });
  const callback = await fetch(consent.headers.get('location') as string);
  if (!callback.ok) throw new Error(`the X callback answered ${callback.status}`);
  if (!stack.bluesky) throw new Error('the demo needs the local Bluesky (startLocalStack with bluesky: true)');
  const sky = await stack.bluesky.createAccount('maya.test');
  await unwrap(
    api.POST('/connections/{platform}', {
      params: { path: { platform: 'bluesky' } },
      body: { handle: sky.handle, appPassword: sky.appPassword },
    }),
  );
  for (const connection of await unwrap(api.GET('/connections')))
    log(`  ${connection.platform.padEnd(8)} @${connection.handle} (${connection.status}, scopes ${connection.scopes.join(' ') || '—'})`);

  const toPublish = (['x', 'bluesky'] as const).flatMap((platform) =>
    items
      .filter((item) => item.platform === platform)
      .sort((a, b) => a.dueAt.localeCompare(b.dueAt))
      .slice(0, DEMO_PUBLISHED_EACH),
  );
  for (const platform of ['x', 'bluesky'] as const)
    await unwrap(api.PUT('/campaigns/{id}/publishing/{platform}', { params: { path: { ...path, platform } }, body: { mode: 'auto' } }));
  for (const item of toPublish)
    await unwrap(
      api.PATCH('/campaigns/{id}/content/{day}/{platform}', {
        params: { path: { ...path, day: String(item.day), platform: item.platform } },
        body: { approval: { state: 'approved' } },
      }),
    );
  const windows = [...new Set(toPublish.map((item) => windowContaining(new Date(item.dueAt)).start.getTime()))].sort((a, b) => a - b);
  log(
    `\nPublishing mode auto on x and bluesky; ${toPublish.length} posts approved; the posting trigger runs in ${windows.length} windows…`,
  );
  for (const start of windows) {
    await invokeLocal(
      'functions/triggers/posting-trigger.ts',
      scheduledEvent('PostingSchedule', new Date(start + 60_000)),
      'PostingTrigger',
    );
    await stack.asyncIdle();
  }

  const published = (await campaignExecutions(stack.tableName, userId, campaignId)).filter((execution) => execution.source === 'published');
  if (published.length !== toPublish.length) throw new Error(`${published.length} of ${toPublish.length} posts were published`);
  log('\nPublished:');
  log(
    table([
      ['day', 'platform', 'platform id', 'url'],
      ...published.map((p) => [String(p.day), p.platform, p.platformPostId ?? '', p.url ?? '']),
    ]),
  );

  // What the audience does meanwhile: numbers on the platforms, read back by the import.
  for (const [i, execution] of published.entries()) {
    const likes = 10 * (i + 1);
    if (execution.platform === 'x')
      stack.x.setMetrics(execution.platformPostId!, {
        like_count: likes,
        reply_count: i + 1,
        retweet_count: 2,
        impression_count: 400 + 100 * i,
      });
    else stack.bluesky.setPostCounts(execution.platformPostId!, { likeCount: likes, replyCount: i + 1, repostCount: 1 });
  }
  stack.x.setFollowers(1340);
  stack.bluesky.setFollowers(sky.did, 215);
  const lastPostedAt = Math.max(...published.map((execution) => Date.parse(execution.postedAt!)));
  const importAt = new Date(lastPostedAt + 61 * 60_000);
  const report = (await invokeLocal(
    'functions/triggers/platform-import.ts',
    scheduledEvent('PlatformImportSchedule', importAt),
    'PlatformImport',
  )) as { due: number; imported: number; followers: Record<string, number> };
  await stack.asyncIdle();
  log(
    `\nPlatform import at ${importAt.toISOString()} (the 1 h checkpoint): ${report.imported} of ${report.due} posts read, ${report.followers.read ?? 0} follower counts`,
  );
  const imported = await campaignExecutions(stack.tableName, userId, campaignId);
  log(
    table([
      ['day', 'platform', 'likes', 'comments', 'shares', 'views', 'source'],
      ...imported
        .filter((execution) => execution.source === 'published')
        .map((execution) => [
          String(execution.day),
          execution.platform,
          String(execution.metrics?.likes ?? 0),
          String(execution.metrics?.comments ?? 0),
          String(execution.metrics?.shares ?? 0),
          execution.metrics?.views === undefined ? '—' : String(execution.metrics.views),
          execution.history.at(-1)?.source ?? '—',
        ]),
    ]),
  );
  const stats = await unwrap(api.GET('/campaigns/{id}/stats', { params: { path } }));
  log(
    `\nStats now: ${stats.posts.posted} posted · ${stats.engagement.likes} likes · ${stats.engagement.comments} comments · ${stats.engagement.shares} shares`,
  );
}

async function main() {
  const running = runningStack();
  const userId = `demo-${randomUUID().slice(0, 8)}`;
  if (running) {
    const keys = await loadOrCreateDevKeys(dataDir());
    await runDemo(running.apiUrl, await signDevToken(keys, userId));
    return;
  }
  const scratch = mkdtempSync(join(tmpdir(), 'crescendo-demo-'));
  console.log('Starting a throwaway local stack (no `npm start` running)…');
  const stack = await startLocalStack({ dataDir: scratch, persist: false, apiPort: 0, schedule: false, bluesky: true });
  try {
    await runDemo(stack.apiUrl, await stack.token(userId), console.log, { stack, userId });
  } finally {
    await stack.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: Error) => {
    console.error(`\nDemo failed: ${error.message}`);
    process.exit(1);
  });
}
