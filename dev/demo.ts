import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCrescendoClient, idempotencyKey, paginate, unwrap, type Schemas } from '../client';
import { loadOrCreateDevKeys, signDevToken } from './jwt';
import { startLocalStack } from './stack';
import { dataDir, runningStack } from './state';

/**
 * `npm run demo`: the product in one command. Uses the running `npm start` stack if there is one,
 * else starts a throwaway one; onboards a sample creator, runs a 14-day campaign on three
 * platforms and prints what a creator would see.
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
    { platform: 'tiktok', postsPerWeek: 5 },
    { platform: 'instagram', postsPerWeek: 3 },
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

export async function runDemo(apiUrl: string, token: string, log: (line: string) => void = console.log): Promise<void> {
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
  const stack = await startLocalStack({ dataDir: scratch, persist: false, apiPort: 0, schedule: false });
  try {
    await runDemo(stack.apiUrl, await stack.token(userId));
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
