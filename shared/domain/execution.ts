import { DomainError, ValidationError } from '../core/errors';
import type { Platform } from '../schemas/common';
import type { ContentItem } from '../schemas/content';
import type { ConfirmDay, MetricsReport, PostExecution, PostStatus, SchedulePost } from '../schemas/execution';
import type { PostScore } from '../schemas/scores';
import type { ContentRecord } from './content';
import { addDays, daysBetween } from './schedule';

/**
 * Executing a campaign's plan: the day-by-day schedule the creator follows, and the confirmations
 * (posted or skipped, with the platform's numbers) that feed the stats, the outcome report and the
 * lessons. Pure; persistence is in shared/db/execution-store.ts.
 */

/** The campaign header fields the schedule and the confirmations depend on. */
export interface RunningCampaign {
  campaignId: string;
  name?: string;
  status: string;
  startDate: string;
  durationDays: number;
  platforms: { platform: Platform }[];
  timeZone: string;
}

/** Metric reports kept per post; the oldest go first. */
export const MAX_METRIC_REPORTS = 50;
/** A device clock a little ahead of ours is not a post from the future. */
const CLOCK_SKEW_MS = 5 * 60_000;

/** Stored on the content item by the posting trigger (`due`) and by a confirmation (`posted`, `skipped`). */
export type StoredPostStatus = Extract<PostStatus, 'due' | 'posted' | 'skipped'>;

export function postStatus(item: Pick<ContentRecord, 'approval'> & { postStatus?: StoredPostStatus }): PostStatus {
  if (item.postStatus) return item.postStatus;
  return item.approval?.state === 'approved' ? 'approved' : 'planned';
}

export interface DayRange {
  from: string;
  to: string;
  fromDay: number;
  toDay: number;
}

/** The requested local dates clipped to the campaign, as dates and as campaign days (empty when toDay < fromDay). */
export function scheduleRange(campaign: RunningCampaign, query: { from?: string; to?: string }): DayRange {
  const last = addDays(campaign.startDate, campaign.durationDays - 1);
  const from = query.from ?? campaign.startDate;
  const to = query.to ?? last;
  const fromDay = Math.max(1, daysBetween(campaign.startDate, from) + 1);
  const toDay = Math.min(campaign.durationDays, daysBetween(campaign.startDate, to) + 1);
  return { from, to, fromDay, toDay };
}

/** Posts grouped by local date, days in order; days without a post are left out. */
export function scheduleDays(posts: readonly SchedulePost[]) {
  const days = new Map<string, { date: string; day: number; posts: SchedulePost[] }>();
  for (const post of [...posts].sort((a, b) => a.dueAt.localeCompare(b.dueAt) || a.platform.localeCompare(b.platform))) {
    const entry = days.get(post.date) ?? { date: post.date, day: post.day, posts: [] };
    entry.posts.push(post);
    days.set(post.date, entry);
  }
  return [...days.values()].sort((a, b) => a.date.localeCompare(b.date));
}

export function schedulePost(
  item: ContentRecord & { postStatus?: StoredPostStatus },
  thumbnailUrl?: string,
  score?: PostScore,
): SchedulePost {
  return {
    day: item.day,
    platform: item.platform,
    date: item.date,
    localTime: item.localTime,
    dueAt: item.dueAt,
    format: item.format,
    ...(item.title !== undefined && { title: item.title }),
    ...(item.pillar !== undefined && { pillar: item.pillar }),
    status: postStatus(item),
    ...(thumbnailUrl && { thumbnailUrl }),
    ...(score && { score }),
  };
}

/**
 * The checks a confirmation needs the campaign for; the status is checked again inside the write
 * (a transaction), this early check only gives the clearer error.
 */
export function checkConfirmation(campaign: RunningCampaign, body: ConfirmDay, now: Date): void {
  if (campaign.status !== 'in_progress') {
    throw new DomainError('CAMPAIGN_STATE_CONFLICT', `Posts are confirmed only while the campaign is in_progress, not ${campaign.status}`, {
      currentStatus: campaign.status,
    });
  }
  if (body.day > campaign.durationDays) {
    throw new DomainError('DAY_OUTSIDE_CAMPAIGN', `Day ${body.day} is outside the campaign (days 1–${campaign.durationDays})`, {
      durationDays: campaign.durationDays,
    });
  }
  const platforms = campaign.platforms.map((plan) => plan.platform);
  if (!platforms.includes(body.platform)) {
    throw new DomainError('PLATFORM_NOT_IN_CAMPAIGN', `The campaign does not post on ${body.platform}`, { platforms });
  }
  if (body.postedAt && Date.parse(body.postedAt) > now.getTime() + CLOCK_SKEW_MS) {
    throw new ValidationError([{ path: 'body.postedAt', message: 'must not be in the future' }]);
  }
}

/**
 * The execution item after a confirmation: an upsert. Metrics replace the latest ones and are
 * appended to the history (the last MAX_METRIC_REPORTS); fields the confirmation leaves out keep
 * their earlier values. A posted post without `postedAt` went live at its planned time, or now
 * if it is confirmed ahead of that time.
 */
export function nextExecution(
  previous: PostExecution | undefined,
  body: ConfirmDay,
  content: Pick<ContentItem, 'campaignId' | 'dueAt'>,
  now: string,
): PostExecution {
  const history = previous?.history ?? [];
  const base = {
    campaignId: content.campaignId,
    day: body.day,
    platform: body.platform,
    version: (previous?.version ?? 0) + 1,
    confirmedAt: previous?.confirmedAt ?? now,
    updatedAt: now,
  };
  if (!body.posted) return { ...base, posted: false, status: 'skipped', history };
  const postedAt = body.postedAt ?? previous?.postedAt ?? (content.dueAt < now ? content.dueAt : now);
  const platformPostId = body.platformPostId ?? previous?.platformPostId;
  const metrics = body.metrics ?? previous?.metrics;
  return {
    ...base,
    posted: true,
    status: 'posted',
    ...(platformPostId !== undefined && { platformPostId }),
    // A post Crescendo published keeps its link and origin when the creator confirms or adds numbers.
    ...(previous?.url !== undefined && { url: previous.url }),
    ...(previous?.source !== undefined && { source: previous.source }),
    ...(previous?.metricsCheckpoints && { metricsCheckpoints: previous.metricsCheckpoints }),
    postedAt: new Date(postedAt).toISOString(),
    ...(metrics !== undefined && { metrics }),
    history: body.metrics
      ? [...history, { reportedAt: now, metrics: body.metrics, source: 'manual' as const }].slice(-MAX_METRIC_REPORTS)
      : history,
  };
}

/**
 * An execution after more metrics reports: the history in `reportedAt` order (the last
 * MAX_METRIC_REPORTS), and the current metrics the newest report's, whatever its source: numbers of
 * two sources are never added.
 */
export function withMetricsReports(execution: PostExecution, reports: readonly MetricsReport[], now: string): PostExecution {
  const history = [...execution.history.map((report) => ({ ...report, source: report.source ?? 'manual' })), ...reports]
    .sort((a, b) => a.reportedAt.localeCompare(b.reportedAt))
    .slice(-MAX_METRIC_REPORTS);
  return { ...execution, history, metrics: history.at(-1)?.metrics ?? execution.metrics, version: execution.version + 1, updatedAt: now };
}
