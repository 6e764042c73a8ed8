import type { Platform } from '../schemas/common';
import type { PostExecution } from '../schemas/execution';
import type { FollowerCount } from '../schemas/followers';
import type { Pacing, PacingDay } from '../schemas/pacing';
import type { PacingBasis, PacingStatus } from '../schemas/vocabulary';
import { studentQuantile } from './evidence';
import { addDays, daysBetween, localDateTime, zonedTimeToUtc } from './schedule';
import { interactionsOf } from './scores';

/**
 * Goal pacing: for each day of a running campaign so far, the goal's value at the end of that day
 * and the final value projected from the days up to it, with an 80 % prediction interval. The
 * projection treats the days' gains as independent draws from the creator's daily rate: final =
 * value + R × mean gain, R the days left, and the interval Student's t at k − 1 degrees of freedom
 * (k days observed) times √(R·s² + R²·s²/k): the spread of R future days plus the uncertainty of
 * the mean itself. Each post's numbers count on the day it was planned for (its latest report), so
 * a post whose numbers still grow makes the early days look slower than they will be. Pure.
 */

export const PACING_LEVEL = 0.8;
/** Days of observed gains before a campaign can be called behind: one or two days say little about a rate. */
export const MIN_DAYS_FOR_BEHIND = 3;

export type PacingGoal = Pacing['goal'];

export interface PacingInput {
  goal: PacingGoal;
  startDate: string;
  durationDays: number;
  /** Today's local date in the creator's zone: the days up to it (at most the campaign's last) are reported. */
  today: string;
  platforms: readonly Platform[];
  executions: readonly Pick<PostExecution, 'day' | 'posted' | 'metrics'>[];
  /** The creator's follower counts (entered or imported), newest per platform and date. */
  followerCounts?: readonly FollowerCount[];
}

export type PacingResult = Omit<Pacing, 'campaignId'>;

const NOT_MEASURABLE: Partial<Record<PacingGoal['type'], string>> = {
  leads:
    'Crescendo reads no lead numbers: clicks are not leads. Track leads where they arrive, or set a views, engagement or followers goal.',
  sales:
    'Crescendo reads no sales numbers: clicks are not sales. Track sales where they arrive, or set a views, engagement or followers goal.',
  launch: 'A launch goal names no number Crescendo reads. Set the goal type to views, engagement or followers to have it paced.',
};

/**
 * What one day's projection rests on: the value gained by the end of the day (`actual`), the value
 * at the last day observed (`value`, the same but for follower counts not read every day), the
 * daily gains observed up to that day, and the days after it.
 */
interface Observation {
  actual: number;
  value: number;
  gains: number[];
  daysLeft: number;
}

const round1 = (value: number) => Math.round(value * 10) / 10;

/** The final value projected from observed daily gains, with its PACING_LEVEL prediction interval. */
export function projectFinal(observation: Omit<Observation, 'actual'>, gainsNeverNegative: boolean): PacingDay['projected'] {
  const { value, gains, daysLeft } = observation;
  const k = gains.length;
  if (k === 0) return { final: round1(value), low: round1(value), high: round1(value) };
  const mean = gains.reduce((a, b) => a + b, 0) / k;
  const variance = k >= 2 ? gains.reduce((sum, gain) => sum + (gain - mean) ** 2, 0) / (k - 1) : mean * mean;
  const t = studentQuantile((1 - PACING_LEVEL) / 2, Math.max(1, k - 1));
  const half = t * Math.sqrt(daysLeft * variance + (daysLeft * daysLeft * variance) / k);
  const final = value + daysLeft * mean;
  const low = gainsNeverNegative ? Math.max(value, final - half) : final - half;
  return { final: round1(final), low: round1(low), high: round1(final + half) };
}

/** ahead when even the low end reaches the target, behind when even the high end misses it (after MIN_DAYS_FOR_BEHIND days observed). */
export function pacingStatus(
  projected: PacingDay['projected'],
  target: number,
  daysObserved: number,
): Exclude<PacingStatus, 'not_measurable'> {
  if (projected.low >= target) return 'ahead';
  if (projected.high < target && daysObserved >= MIN_DAYS_FOR_BEHIND) return 'behind';
  return 'on_track';
}

const postValue: Record<Exclude<PacingBasis, 'followerCounts'>, (metrics: PostExecution['metrics']) => number> = {
  followersGained: (metrics) => metrics?.followersGained ?? 0,
  views: (metrics) => metrics?.views ?? 0,
  engagement: interactionsOf,
};

/** Per-post goals: each day's gain is the sum over the posts planned for it. */
function postObservations(input: PacingInput, basis: keyof typeof postValue, days: number): Observation[] {
  const gains = Array.from({ length: days }, () => 0);
  for (const execution of input.executions) {
    if (execution.posted && execution.day >= 1 && execution.day <= days) gains[execution.day - 1]! += postValue[basis](execution.metrics);
  }
  let value = 0;
  return gains.map((gain, index) => {
    value += gain;
    return { actual: value, value, gains: gains.slice(0, index + 1), daysLeft: input.durationDays - index - 1 };
  });
}

/**
 * Follower counts: per platform, the growth from the count at the start (the latest on or before
 * the first day, else the first inside the campaign) to the latest count known on the day; the
 * gains between two counts are spread evenly over the days between them, and the rate is read
 * over the days up to the last count every platform has (days after it are not observed yet).
 */
function countObservations(input: PacingInput, counts: readonly FollowerCount[], days: number): Observation[] {
  const platforms = [...new Set(counts.map((entry) => entry.platform))];
  const dayOf = (date: string) => daysBetween(input.startDate, date) + 1;
  return Array.from({ length: days }, (_, index) => {
    const day = index + 1;
    const today = addDays(input.startDate, index);
    const series = platforms.flatMap((platform) => {
      const known = counts
        .filter((entry) => entry.platform === platform && entry.date <= today)
        .sort((a, b) => a.date.localeCompare(b.date));
      const start = known.filter((entry) => entry.date <= input.startDate).at(-1) ?? known.find((entry) => entry.date > input.startDate);
      if (!start) return [];
      const points = [
        { day: Math.max(1, dayOf(start.date)), count: start.count },
        ...known.filter((entry) => entry.date > start.date).map((entry) => ({ day: dayOf(entry.date), count: entry.count })),
      ];
      return [points];
    });
    if (series.length === 0) return { actual: 0, value: 0, gains: [], daysLeft: input.durationDays - day };
    const actual = series.reduce((sum, points) => sum + points.at(-1)!.count - points[0]!.count, 0);
    const from = Math.max(...series.map((points) => points[0]!.day));
    const until = Math.min(...series.map((points) => points.at(-1)!.day));
    // Interpolated gains of the days both ends of which every platform has counts for.
    const gains = Array.from({ length: Math.max(0, until - from) }, (_, offset) =>
      series.reduce((sum, points) => sum + interpolated(points, from + offset + 1) - interpolated(points, from + offset), 0),
    );
    const value = series.reduce((sum, points) => sum + interpolated(points, until) - points[0]!.count, 0);
    return until > from
      ? { actual, value, gains, daysLeft: input.durationDays - until }
      : { actual, value: actual, gains: [], daysLeft: input.durationDays - day };
  });
}

function interpolated(points: readonly { day: number; count: number }[], day: number): number {
  if (day <= points[0]!.day) return points[0]!.count;
  for (let i = 1; i < points.length; i++) {
    const [a, b] = [points[i - 1]!, points[i]!];
    if (day <= b.day) return a.count + ((b.count - a.count) * (day - a.day)) / (b.day - a.day);
  }
  return points.at(-1)!.count;
}

/** The basis of a measurable goal: follower counts where the campaign's platforms have any, else the posts' numbers. */
export function pacingBasis(
  goal: PacingGoal,
  platforms: readonly Platform[],
  counts: readonly FollowerCount[] = [],
): PacingBasis | undefined {
  switch (goal.type) {
    case 'followers':
      return counts.some((entry) => platforms.includes(entry.platform)) ? 'followerCounts' : 'followersGained';
    case 'views':
    case 'engagement':
      return goal.type;
    default:
      return undefined;
  }
}

export function campaignPacing(input: PacingInput): PacingResult {
  const { goal, durationDays } = input;
  const base = { goal, durationDays };
  const basis = pacingBasis(goal, input.platforms, input.followerCounts);
  if (!basis) return { ...base, status: 'not_measurable', reason: NOT_MEASURABLE[goal.type]!, days: [] };
  const days = Math.max(0, Math.min(durationDays, daysBetween(input.startDate, input.today) + 1));
  const counts = (input.followerCounts ?? []).filter((entry) => input.platforms.includes(entry.platform));
  const observations = basis === 'followerCounts' ? countObservations(input, counts, days) : postObservations(input, basis, days);
  // With a baseline below the target, the target is a level: the value shown is baseline + gained.
  const offset = goal.baseline !== undefined && goal.target > goal.baseline ? goal.baseline : 0;
  const pacingDays: PacingDay[] = observations.map((observation, index) => {
    const projected = projectFinal({ ...observation, value: offset + observation.value }, basis !== 'followerCounts');
    return {
      day: index + 1,
      date: addDays(input.startDate, index),
      actual: round1(offset + observation.actual),
      projected,
      status: pacingStatus(projected, goal.target, observation.gains.length),
    };
  });
  return { ...base, status: pacingDays.at(-1)?.status ?? 'on_track', basis, days: pacingDays };
}

/** A running campaign's pacing is evaluated daily at this local time, new numbers or not: late, when most of the day's are in. */
export const DAILY_EVALUATION_TIME = '22:00';

/** The first daily evaluation after `now` in the creator's zone (ISO instant); a campaign not started yet waits for its first day. */
export function nextDailyEvaluation(now: Date, timeZone: string, startDate: string): string {
  const today = localDateTime(now, timeZone).date;
  const day = today < startDate ? startDate : today;
  const at = zonedTimeToUtc(day, DAILY_EVALUATION_TIME, timeZone);
  return (at > now ? at : zonedTimeToUtc(addDays(day, 1), DAILY_EVALUATION_TIME, timeZone)).toISOString();
}
