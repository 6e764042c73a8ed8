import type { Platform } from '../schemas/common';

/**
 * The posting calendar of a campaign: which days each platform posts on, at what local time, and
 * when that is in UTC. Pure; the planner writes one content item per planned post.
 */

export const TIMES_SOURCE = 'platform-default';
/** A posting time learned from the creator's own confirmed posts (shared/domain/posting-times.ts). */
export const OWN_TIMES_SOURCE = 'own-metrics';
type TimeSource = typeof TIMES_SOURCE | typeof OWN_TIMES_SOURCE;

interface PlatformDefaults {
  /** Local posting time, HH:mm. */
  localTime: string;
  format: string;
}

export const platformDefaults: Record<Platform, PlatformDefaults> = {
  youtube: { localTime: '17:00', format: 'video' },
  instagram: { localTime: '11:00', format: 'reel' },
  tiktok: { localTime: '19:00', format: 'short video' },
  x: { localTime: '09:00', format: 'post' },
  linkedin: { localTime: '08:30', format: 'post' },
  threads: { localTime: '12:00', format: 'post' },
  bluesky: { localTime: '11:00', format: 'post' },
  facebook: { localTime: '13:00', format: 'post' },
  blog: { localTime: '10:00', format: 'article' },
};

export interface ScheduleRequest {
  durationDays: number;
  /** First day of the campaign in the creator's time zone, YYYY-MM-DD. */
  startDate: string;
  platforms: readonly { platform: Platform; postsPerWeek: number }[];
  /** IANA time zone of the creator. */
  timeZone: string;
  /** Local HH:mm per platform from the creator's own metrics, frozen at start; other platforms use platformDefaults. */
  postingTimes?: Partial<Record<Platform, string>>;
}

export interface PlannedPost {
  /** 1-based day of the campaign. */
  day: number;
  /** Local date, YYYY-MM-DD. */
  date: string;
  platform: Platform;
  /** Local time, HH:mm. */
  localTime: string;
  timeSource: TimeSource;
  format: string;
  /** The local date and time as a UTC instant (ISO 8601). */
  dueAt: string;
}

const DAYS_PER_WEEK = 7;
const DAY_MS = 86_400_000;

/**
 * 0-based offsets of the posting days within a run of `days` days (a week, or the partial last
 * week) for `postsPerWeek`, spread evenly: k posts in 7 days fall on round(i·7/k). A partial week
 * gets its pro-rated share, round(k·days/7), spread the same way over its days.
 *
 * A content item is one day × platform, so a platform posts at most once a day: 8–14 posts a week
 * (two a day, which the item model cannot hold) are capped to every day.
 */
export function postingOffsets(postsPerWeek: number, days: number): number[] {
  const perWeek = Math.min(postsPerWeek, DAYS_PER_WEEK);
  const count = Math.round((perWeek * days) / DAYS_PER_WEEK);
  return Array.from({ length: count }, (_, i) => Math.round((i * days) / count));
}

/** Every post of the campaign, by day, then in the order the platforms were given. */
export function buildSchedule(request: ScheduleRequest): PlannedPost[] {
  const posts: PlannedPost[] = [];
  for (let weekStart = 0; weekStart < request.durationDays; weekStart += DAYS_PER_WEEK) {
    const days = Math.min(DAYS_PER_WEEK, request.durationDays - weekStart);
    for (const { platform, postsPerWeek } of request.platforms) {
      const { format } = platformDefaults[platform];
      const own = request.postingTimes?.[platform];
      const localTime = own ?? platformDefaults[platform].localTime;
      const timeSource: TimeSource = own ? OWN_TIMES_SOURCE : TIMES_SOURCE;
      for (const offset of postingOffsets(postsPerWeek, days)) {
        const day = weekStart + offset + 1;
        const date = addDays(request.startDate, day - 1);
        const dueAt = zonedTimeToUtc(date, localTime, request.timeZone).toISOString();
        posts.push({ day, date, platform, localTime, timeSource, format, dueAt });
      }
    }
  }
  const platformOrder = request.platforms.map((plan) => plan.platform);
  return posts.sort((a, b) => a.day - b.day || platformOrder.indexOf(a.platform) - platformOrder.indexOf(b.platform));
}

/**
 * What the plan agent output records about a schedule, including where its posting times came
 * from: `platform-default`, `own-metrics` or `mixed` (then `ownTimes` names the learned ones).
 */
export function planSummary(posts: readonly PlannedPost[]) {
  const perPlatform: Partial<Record<Platform, number>> = {};
  const ownTimes: Partial<Record<Platform, string>> = {};
  for (const { platform, timeSource, localTime } of posts) {
    perPlatform[platform] = (perPlatform[platform] ?? 0) + 1;
    if (timeSource === OWN_TIMES_SOURCE) ownTimes[platform] = localTime;
  }
  const learned = Object.keys(ownTimes).length;
  if (learned === 0) return { posts: posts.length, perPlatform, timesSource: TIMES_SOURCE };
  const timesSource = learned === Object.keys(perPlatform).length ? OWN_TIMES_SOURCE : 'mixed';
  return { posts: posts.length, perPlatform, timesSource, ownTimes };
}

export function addDays(isoDate: string, days: number): string {
  return new Date(Date.parse(`${isoDate}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Calendar days from one local date to another (negative when `to` is earlier). */
export const daysBetween = (from: string, to: string) =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock time of `instant` in `timeZone`, expressed as if that wall clock were UTC (ms). */
function wallClock(instant: number, timeZone: string): number {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  const part = Object.fromEntries(formatter.formatToParts(instant).map(({ type, value }) => [type, Number(value)]));
  return Date.UTC(part.year, part.month - 1, part.day, part.hour, part.minute, part.second);
}

/** The local date (YYYY-MM-DD), time (HH:mm) and weekday (0 = Sunday) of an instant in `timeZone`. */
export function localDateTime(instant: Date | string, timeZone: string): { date: string; time: string; weekday: number } {
  const wall = new Date(wallClock(new Date(instant).getTime(), timeZone));
  const iso = wall.toISOString();
  return { date: iso.slice(0, 10), time: iso.slice(11, 16), weekday: wall.getUTCDay() };
}

/** UTC offset of `timeZone` at `instant`, in ms (Intl only resolves whole seconds). */
const offsetAt = (instant: number, timeZone: string) => wallClock(instant, timeZone) - Math.floor(instant / 1000) * 1000;

/**
 * The UTC instant of a local date and time in `timeZone`, correct across DST changes. The offsets
 * a day before and a day after bracket any transition near that time (as in the Temporal
 * polyfill). A time that exists twice (clocks set back) is the earlier instant; a time that never
 * exists (clocks set forward) moves forward by the gap: Temporal's 'compatible' disambiguation.
 */
export function zonedTimeToUtc(date: string, time: string, timeZone: string): Date {
  const wall = Date.parse(`${date}T${time}:00Z`);
  const before = offsetAt(wall - DAY_MS, timeZone);
  const after = offsetAt(wall + DAY_MS, timeZone);
  const instants = [wall - before, wall - after].filter((instant) => wallClock(instant, timeZone) === wall);
  return new Date(instants.length > 0 ? Math.min(...instants) : wall - before);
}

/** The most posts one planner call plans (30 days on four daily platforms fits). */
export const PLANNER_MAX_POSTS = 130;

/** One post of the calendar, as buildSchedule lays it out. */
export type CalendarPost = Pick<PlannedPost, 'day' | 'platform' | 'format'>;

/** Splits a calendar into batches of whole weeks, each at most `maxPosts` posts (a week larger than that is split). */
export function calendarBatches<P extends CalendarPost>(posts: readonly P[], maxPosts = PLANNER_MAX_POSTS): P[][] {
  const weeks = new Map<number, P[]>();
  for (const post of posts) {
    const week = Math.ceil(post.day / 7);
    weeks.set(week, [...(weeks.get(week) ?? []), post]);
  }
  const batches: P[][] = [];
  let current: P[] = [];
  for (const week of [...weeks.keys()].sort((a, b) => a - b)) {
    const weekPosts = weeks.get(week)!;
    if (current.length > 0 && current.length + weekPosts.length > maxPosts) {
      batches.push(current);
      current = [];
    }
    for (const post of weekPosts) {
      if (current.length === maxPosts) {
        batches.push(current);
        current = [];
      }
      current.push(post);
    }
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/**
 * The most posts the workflow asks one planner call for: at most 120 tokens an entry, 3,840 tokens,
 * within the 4,000 a call may write. A month of a daily platform (31 posts) fits.
 */
export const PLANNER_CALL_POSTS = 32;

/**
 * The workflow's planner calls, run at once: one per platform and week (at most PLANNER_CALL_POSTS
 * posts), so the planning takes as long as one week's topics rather than a month's. Each call is
 * given the whole calendar (PlannerInput.calendar), which keeps topics distinct across the calls.
 */
export function plannerCalls<P extends CalendarPost>(posts: readonly P[]): P[][] {
  const calls = new Map<string, P[]>();
  for (const post of posts) {
    const key = `${post.platform}|${Math.ceil(post.day / 7)}`;
    calls.set(key, [...(calls.get(key) ?? []), post]);
  }
  return [...calls.values()].flatMap((own) => calendarBatches(own, PLANNER_CALL_POSTS));
}
