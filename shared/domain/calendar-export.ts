import { CONTROL_CHARACTERS_BUT_LINE_BREAKS, platformLabels } from '../schemas/common';
import type { PostStatus } from '../schemas/execution';
import type { ContentRecord } from './content';
import { postStatus, type StoredPostStatus } from './execution';
import { addDays, localDateTime } from './schedule';

/**
 * The schedule as files a calendar or a spreadsheet opens: iCalendar (RFC 5545) and CSV (RFC 4180).
 * Pure. Times are the stored local date and time of each post with the creator's zone as TZID, so
 * no time zone arithmetic happens here beyond describing the zone (VTIMEZONE).
 */

export type ExportPost = ContentRecord & { postStatus?: StoredPostStatus };

export interface CalendarExport {
  campaignId: string;
  campaignName?: string;
  timeZone: string;
  /** First and last local date of the campaign: the VTIMEZONE covers them. */
  firstDate: string;
  lastDate: string;
  posts: readonly ExportPost[];
  /** DTSTAMP: when the feed was generated. */
  now: Date;
}

/** How long a post's calendar event lasts. */
const EVENT_MINUTES = 30;
const MAX_LINE_OCTETS = 75;

/** The text of a post as a person reads it: the written post, else the video script's beats, then the CTA. */
export function postText(post: ExportPost): string {
  const body = post.post ?? (post.script ? [post.script.hook, post.script.body, post.script.cta].join('\n\n') : '');
  return [body, post.cta && !body.includes(post.cta) ? post.cta : undefined].filter(Boolean).join('\n\n');
}

export const postUid = (campaignId: string, post: Pick<ExportPost, 'day' | 'platform'>) =>
  `${campaignId}-${post.day}-${post.platform}@crescendo`;

/**
 * Stored text from before requests refused control characters may still hold some: each control
 * or bidi character other than tab and line breaks becomes U+FFFD, visibly, so no export carries
 * it raw (a NUL ends a C string, a CTL breaks an iCalendar line, a bidi override reorders a cell).
 */
export function withoutControlCharacters(value: string): string {
  return value.replace(CONTROL_CHARACTERS_BUT_LINE_BREAKS, '\uFFFD');
}

/** TEXT value escaping (RFC 5545 §3.3.11: no CTL but HTAB, line breaks as `\n`). */
export function escapeText(value: string): string {
  return withoutControlCharacters(value)
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

/** Folds a content line at 75 octets without splitting a UTF-8 character (RFC 5545 §3.1). */
export function foldLine(line: string): string {
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  for (const char of line) {
    const size = Buffer.byteLength(char);
    // Continuation lines begin with one space, which counts toward their 75 octets.
    const limit = parts.length === 0 ? MAX_LINE_OCTETS : MAX_LINE_OCTETS - 1;
    if (octets + size > limit) {
      parts.push(current);
      current = '';
      octets = 0;
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

const basicDate = (date: string) => date.replace(/-/g, '');
const basicDateTime = (date: string, time: string) => `${basicDate(date)}T${time.replace(':', '')}00`;
const utcStamp = (instant: Date) => `${instant.toISOString().slice(0, 19).replace(/[-:]/g, '')}Z`;

function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}${String(abs % 60).padStart(2, '0')}`;
}

/** UTC offset of `timeZone` at `instant`, in minutes. */
function offsetMinutes(instant: number, timeZone: string): number {
  const local = localDateTime(new Date(instant), timeZone);
  const wall = Date.parse(`${local.date}T${local.time}:00Z`);
  return Math.round((wall - Math.floor(instant / 60_000) * 60_000) / 60_000);
}

interface Transition {
  /** First instant with the new offset (ms, to the minute). */
  at: number;
  from: number;
  to: number;
}

const HOUR_MS = 3_600_000;

/** The zone's offset changes between two instants: hourly probes, then a binary search to the minute. */
function transitionsBetween(timeZone: string, start: number, end: number): Transition[] {
  const found: Transition[] = [];
  for (let t = start; t < end; t += HOUR_MS) {
    const from = offsetMinutes(t, timeZone);
    const to = offsetMinutes(t + HOUR_MS, timeZone);
    if (from === to) continue;
    let low = t;
    let high = t + HOUR_MS;
    while (high - low > 60_000) {
      const mid = low + Math.floor((high - low) / 120_000) * 60_000;
      if (offsetMinutes(mid, timeZone) === from) low = mid;
      else high = mid;
    }
    found.push({ at: high, from, to });
  }
  return found;
}

/**
 * A VTIMEZONE with the offset in force when the campaign starts and every transition inside it
 * (a day of margin on both sides). Observances with the larger of the year's two offsets are
 * DAYLIGHT; zones without DST get one STANDARD observance.
 */
export function vtimezone(timeZone: string, firstDate: string, lastDate: string): string[] {
  const start = Date.parse(`${addDays(firstDate, -1)}T00:00:00Z`);
  const end = Date.parse(`${addDays(lastDate, 2)}T00:00:00Z`);
  const year = firstDate.slice(0, 4);
  const yearOffsets = [`${year}-01-15`, `${year}-07-15`].map((date) => offsetMinutes(Date.parse(`${date}T12:00:00Z`), timeZone));
  const standardOffset = Math.min(...yearOffsets);
  const observance = (at: number | undefined, from: number, to: number) => {
    const kind = to > standardOffset ? 'DAYLIGHT' : 'STANDARD';
    // DTSTART is the local time (in the offset before the change) at which the change happens.
    const onset = at === undefined ? '19700101T000000' : utcStamp(new Date(at + from * 60_000)).slice(0, 15);
    return [`BEGIN:${kind}`, `DTSTART:${onset}`, `TZOFFSETFROM:${formatOffset(from)}`, `TZOFFSETTO:${formatOffset(to)}`, `END:${kind}`];
  };
  const initial = offsetMinutes(start, timeZone);
  return [
    'BEGIN:VTIMEZONE',
    `TZID:${timeZone}`,
    ...observance(undefined, initial, initial),
    ...transitionsBetween(timeZone, start, end).flatMap((t) => observance(t.at, t.from, t.to)),
    'END:VTIMEZONE',
  ];
}

function addMinutes(time: string, minutes: number): { dayShift: number; time: string } {
  const [h, m] = time.split(':').map(Number);
  const total = h * 60 + m + minutes;
  const hh = Math.floor(total / 60);
  return { dayShift: Math.floor(hh / 24), time: `${String(hh % 24).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}` };
}

function vevent(feed: CalendarExport, post: ExportPost): string[] {
  const end = addMinutes(post.localTime, EVENT_MINUTES);
  const status: PostStatus = postStatus(post);
  const title = post.title ?? post.topic ?? post.format;
  return [
    'BEGIN:VEVENT',
    `UID:${postUid(feed.campaignId, post)}`,
    `DTSTAMP:${utcStamp(feed.now)}`,
    // Calendar apps replace an event by UID when its SEQUENCE grows: every edit bumps the version.
    `SEQUENCE:${post.version}`,
    `DTSTART;TZID=${feed.timeZone}:${basicDateTime(post.date, post.localTime)}`,
    `DTEND;TZID=${feed.timeZone}:${basicDateTime(addDays(post.date, end.dayShift), end.time)}`,
    `SUMMARY:${escapeText(`${platformLabels[post.platform]}: ${title}`)}`,
    `DESCRIPTION:${escapeText(postText(post))}`,
    `CATEGORIES:${escapeText(platformLabels[post.platform])}`,
    `X-CRESCENDO-STATUS:${status}`,
    ...(status === 'skipped' ? ['STATUS:CANCELLED'] : []),
    'END:VEVENT',
  ];
}

export function toICalendar(feed: CalendarExport): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Crescendo//Campaign schedule//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(feed.campaignName ?? `Campaign ${feed.campaignId}`)}`,
    `X-WR-TIMEZONE:${feed.timeZone}`,
    ...vtimezone(feed.timeZone, feed.firstDate, feed.lastDate),
    ...feed.posts.flatMap((post) => vevent(feed, post)),
    'END:VCALENDAR',
  ];
  return `${lines.map(foldLine).join('\r\n')}\r\n`;
}

/** Cells that a spreadsheet would run as a formula start with one of these (OWASP CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string | number | undefined): string {
  let text = value === undefined ? '' : withoutControlCharacters(String(value));
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const CSV_COLUMNS = [
  'date',
  'local_time',
  'time_zone',
  'day',
  'platform',
  'format',
  'status',
  'pillar',
  'title',
  'text',
  'due_at_utc',
] as const;

export function toCsv(feed: Pick<CalendarExport, 'timeZone' | 'posts'>): string {
  const rows = feed.posts.map((post) =>
    [
      post.date,
      post.localTime,
      feed.timeZone,
      post.day,
      post.platform,
      post.format,
      postStatus(post),
      post.pillar,
      post.title,
      postText(post),
      post.dueAt,
    ]
      .map(csvCell)
      .join(','),
  );
  return `${[CSV_COLUMNS.join(','), ...rows].join('\r\n')}\r\n`;
}
