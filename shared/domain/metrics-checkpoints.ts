import { metricsCheckpointNames } from '../schemas/vocabulary';

/**
 * When the scheduled import (shared/app/platform-import.ts) reads a post's metrics from its
 * platform: about 1 hour, 24 hours, 72 hours and 7 days after it was posted. The import runs every
 * IMPORT_PERIOD_MINUTES and takes what has come due since, so each checkpoint is fetched once, up
 * to one period late; a run that comes after several checkpoints fetches the latest and passes the others.
 */
export const IMPORT_PERIOD_MINUTES = 60;

export type MetricsCheckpoint = (typeof metricsCheckpointNames)[number];
const HOURS_AFTER_POSTING: Record<MetricsCheckpoint, number> = { '1h': 1, '24h': 24, '72h': 72, '7d': 168 };

const HOUR_MS = 3_600_000;
const checkpointAt = (postedAt: string, hours: number) => new Date(Date.parse(postedAt) + hours * HOUR_MS).toISOString();

/** The first checkpoint after those already fetched (or passed), with its time; undefined after the last. */
export function nextCheckpoint(postedAt: string, done: readonly string[]): { name: MetricsCheckpoint; at: string } | undefined {
  const last = Math.max(-1, ...done.map((name) => metricsCheckpointNames.indexOf(name as MetricsCheckpoint)));
  const next = metricsCheckpointNames[last + 1];
  return next && { name: next, at: checkpointAt(postedAt, HOURS_AFTER_POSTING[next]) };
}

/** The latest checkpoint due at `now` that is not done yet: the one to fetch (earlier ones it passes). */
export function dueCheckpoint(postedAt: string, done: readonly string[], now: Date): MetricsCheckpoint | undefined {
  let due: MetricsCheckpoint | undefined;
  for (
    let next = nextCheckpoint(postedAt, done);
    next && next.at <= now.toISOString();
    next = nextCheckpoint(postedAt, [...done, next.name])
  )
    due = next.name;
  return due;
}

/** Follower counts are one entry per UTC date: a connection is read again from the next midnight UTC on. */
export const nextFollowerRead = (now: Date) => `${new Date(now.getTime() + 86_400_000).toISOString().slice(0, 10)}T00:00:00.000Z`;
