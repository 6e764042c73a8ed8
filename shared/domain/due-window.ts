/**
 * The posting trigger's time window. Due posts are indexed by UTC day and `hh:mm` (GSI1), so a
 * window is a list of (day, from, to) ranges: one, or two when it crosses midnight UTC.
 */
export const WINDOW_MINUTES = 15;

export interface DayRange {
  day: string;
  from: string;
  /** Exclusive upper bound. */
  to: string;
}

const hhmm = (date: Date) => date.toISOString().slice(11, 16);
const isoDay = (date: Date) => date.toISOString().slice(0, 10);

/** The window that contains `at`, aligned to WINDOW_MINUTES so overlapping invocations agree on it. */
export function windowContaining(at: Date): { start: Date; end: Date } {
  const size = WINDOW_MINUTES * 60_000;
  const start = new Date(Math.floor(at.getTime() / size) * size);
  return { start, end: new Date(start.getTime() + size) };
}

export function dayRanges(start: Date, end: Date): DayRange[] {
  const ranges: DayRange[] = [];
  let cursor = start;
  while (cursor < end) {
    const nextMidnight = new Date(`${isoDay(cursor)}T00:00:00.000Z`);
    nextMidnight.setUTCDate(nextMidnight.getUTCDate() + 1);
    const rangeEnd = end < nextMidnight ? end : nextMidnight;
    ranges.push({ day: isoDay(cursor), from: hhmm(cursor), to: rangeEnd === nextMidnight ? '24:00' : hhmm(rangeEnd) });
    cursor = rangeEnd;
  }
  return ranges;
}
