import type { Strategy } from '../../agents/strategist';
import { logger } from '../../core/logger';
import { mapLimited } from '../../db/concurrency';
import { campaignExecutions, scheduledContent, type ScheduledContent } from '../../db/execution-store';
import { creatorHistory } from '../../db/prediction-store';
import { markForRewrite, putReplanChanges, recordReplanChanged, type ReplanBefore, type StoredChange } from '../../db/replan-store';
import { readAttempt, WorkflowError, type ReplanInput } from '../../db/workflow-store';
import { HOUR_BANDS, hourBandOf, type ScoredPost } from '../../domain/evidence';
import { campaignTimeZone } from '../../domain/campaign';
import { hookOf } from '../../domain/platform-rules';
import { trainingPostsOf } from '../../domain/prediction';
import { isReplannable, proposeReplan, type ReplanSlot, type SlotChange } from '../../domain/replan';
import { zonedTimeToUtc } from '../../domain/schedule';
import { requireOutput } from '../agent-output';
import { weekOf } from '../batch';
import { generated, replanOf, WRITE_CONCURRENCY } from './common';

/** The hour bands a re-plan may move a post to: not the night. */
const DAY_BANDS = ['morning', 'afternoon', 'evening'] as const;

/** A post's local time moved into `band`, keeping its place within the 6-hour band (09:30 morning → 21:30 evening). */
function timeIn(band: string, localTime: string): string {
  const start = Number(HOUR_BANDS[band as keyof typeof HOUR_BANDS].slice(0, 2));
  const hour = start + (Number(localTime.slice(0, 2)) % 6);
  return `${String(hour).padStart(2, '0')}${localTime.slice(2)}`;
}

type ReplanContent = ScheduledContent & { replan?: number; replanBefore?: ReplanBefore };

/**
 * What re-plan `n` proposes from: what it recorded when it marked the post (a re-run of `n` changes
 * the same posts), else the post as it stands, also when an earlier re-plan rewrote it.
 */
const beforeOf = (item: ReplanContent, n: number): ReplanBefore =>
  (item.replan === n ? item.replanBefore : undefined) ?? {
    ...(item.title && { title: item.title }),
    ...(hookOf(item) && { hook: hookOf(item) }),
    arms: { pillar: item.pillar ?? '', format: item.format, hourBand: hourBandOf(Number(item.localTime.slice(0, 2))) },
    localTime: item.localTime,
    dueAt: item.dueAt,
  };

/**
 * The re-plan's planner (ReplanPlanner, the first task in re-plan mode): reads the campaign's posts
 * and the creator's scored posts (this campaign's and the earlier campaigns' baseline-relative
 * scores), locks what must not change (posted, skipped, due or past, dated today, approved,
 * edited: the predicate the style experiment uses), asks proposeReplan (shared/domain/replan.ts)
 * for the open posts' new pillar, format and hour band, and marks each changed post for the
 * rewrite: its new arms and posting time, `replan: n`, out of the due index until its week is
 * ready again. Records the diff's before and why. A re-run proposes from the recorded `before`
 * arms with the same seed, so it changes the same posts. Returns the Weeks Map's items: the
 * weeks with a changed post.
 */
export async function planReplan(table: string, input: ReplanInput, now: string) {
  const { replan: n, ...ref } = input;
  const campaign = await readAttempt(table, ref);
  if (replanOf(campaign) !== n) throw new WorkflowError('StaleAttempt', `Re-plan ${n} of campaign ${ref.campaignId} is not running`);
  const [content, executions, history, strategy] = await Promise.all([
    scheduledContent(table, ref.userId, ref.campaignId, 1, Number(campaign.durationDays ?? 90)) as Promise<ReplanContent[]>,
    campaignExecutions(table, ref.userId, ref.campaignId),
    creatorHistory(table, ref.userId, ref.campaignId),
    requireOutput<Strategy>(table, ref, 'strategy'),
  ]);
  const scored: ScoredPost[] = trainingPostsOf([...history, { posts: content, executions }]).map((post, i) => ({
    id: String(i),
    z: post.z,
    arms: post.features,
  }));
  const timeZone = campaignTimeZone(campaign) ?? 'UTC';
  const pillars = [...new Set([...strategy.pillars, ...content.flatMap((item) => (item.pillar ? [item.pillar] : []))])];
  const open = (item: ReplanContent) => item.replan === n || (generated(item) && isReplannable(item, now, timeZone));

  const changes: SlotChange[] = [];
  const platforms = [...new Set(content.map((item) => item.platform))];
  for (const platform of platforms) {
    const mine = content.filter((item) => item.platform === platform);
    const slots: ReplanSlot[] = mine.map((item) => ({
      id: `${item.day}#${item.platform}`,
      platform,
      arms: beforeOf(item, n).arms,
      locked: !open(item),
    }));
    const formats = [...new Set(mine.map((item) => beforeOf(item, n).arms.format))];
    changes.push(
      ...proposeReplan(slots, scored, {
        seed: `${ref.campaignId}#replan#${n}`,
        candidates: { pillar: pillars, format: formats, hourBand: DAY_BANDS },
      }),
    );
  }

  const byId = new Map(content.map((item) => [`${item.day}#${item.platform}`, item]));
  const applied = await mapLimited(changes, WRITE_CONCURRENCY, async (change) => {
    const item = byId.get(change.id)!;
    const before = beforeOf(item, n);
    const localTime = change.after.hourBand === before.arms.hourBand ? before.localTime : timeIn(change.after.hourBand, before.localTime);
    const dueAt = localTime === before.localTime ? before.dueAt : zonedTimeToUtc(item.date, localTime, timeZone).toISOString();
    const stored: StoredChange = {
      day: item.day,
      platform: item.platform,
      scheduledFor: dueAt,
      before: { ...(before.title && { title: before.title }), ...(before.hook && { hook: before.hook }), arms: before.arms },
      after: { arms: change.after },
      why: change.why,
    };
    return (await markForRewrite(table, ref, item, { ...change.after, localTime, dueAt, before, n })) ? stored : undefined;
  });
  const recorded = applied.filter((change): change is StoredChange => change !== undefined);
  await putReplanChanges(table, ref, n, recorded);
  await recordReplanChanged(table, ref, n, recorded.length);
  const weeks = [...new Set(recorded.map((change) => weekOf(change.day)))].sort((a, b) => a - b);
  logger.info('re-plan planned', { n, open: content.filter(open).length, changed: recorded.length, weeks });
  return { replan: n, postsTotal: recorded.length, batches: weeks.map((week) => ({ week })) };
}
