import { DomainError } from '../core/errors';
import { platformSchema, type Platform } from '../schemas/common';
import type { MetricsImportReport, PostExecution, PostMetrics } from '../schemas/execution';
import { importLayouts } from '../schemas/vocabulary';
import { localDateTime } from './schedule';

/**
 * The metrics CSV import (POST /campaigns/{id}/metrics/import): the file is read in one of three
 * layouts, told apart by the header — Crescendo's own columns, YouTube Studio's Advanced mode
 * export (`Table data.csv`) and X's analytics export (tweet activity) — and each row is matched
 * to a posted post by its platform post id, else by date and platform. A malformed file or row
 * refuses the whole import (422 naming the rows); rows that match no post are reported, not
 * applied. Pure; the write is execution-store's appendMetricsReports (one transaction).
 */

export type ImportLayout = (typeof importLayouts)[number];

export interface ImportRow {
  /** As in the file: the header is row 1. */
  row: number;
  platform: Platform;
  platformPostId?: string;
  date?: string;
  metrics: PostMetrics;
}

/** RFC 4180: quoted fields may hold commas, doubled quotes and line breaks. A BOM is dropped. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const source = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < source.length; i++) {
    const char = source[i]!;
    if (quoted) {
      if (char === '"' && source[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && source[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += char;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((cells) => cells.some((cell) => cell.trim() !== ''));
}

/** Crescendo's documented columns (README, *Metrics import*); platform and one of platformPostId or date are required. */
export const CRESCENDO_COLUMNS = [
  'platform',
  'platformPostId',
  'date',
  'views',
  'likes',
  'comments',
  'shares',
  'saves',
  'followersGained',
  'clicks',
  'watchTimeSeconds',
] as const;

type Reader = (cell: (name: string) => string | undefined) => Omit<ImportRow, 'row'> | { skip: true };

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

class RowError extends Error {}

/** YYYY-MM-DD, "Sep 20, 2026", "2026-08-15 13:12:39 +0000" or "8/15/2026" as a calendar date. */
export function importDate(value: string | undefined): string | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  const iso = /^(\d{4})-(\d{2})-(\d{2})/.exec(text);
  const named = /^([A-Za-z]{3})[a-z]*\.? (\d{1,2}),? (\d{4})$/.exec(text);
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})/.exec(text);
  const [year, month, day] = iso
    ? [Number(iso[1]), Number(iso[2]), Number(iso[3])]
    : named
      ? [Number(named[3]), MONTHS.indexOf(named[1]!.toLowerCase()) + 1, Number(named[2])]
      : us
        ? [Number(us[3]), Number(us[1]), Number(us[2])]
        : [NaN, NaN, NaN];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (!(month >= 1) || Number.isNaN(date.getTime()) || date.getUTCDate() !== day) throw new RowError(`"${text}" is not a date`);
  return date.toISOString().slice(0, 10);
}

/** A count as exports write it: "12,500", "1 200", "" (absent); never negative or fractional. */
function count(value: string | undefined, column: string): number | undefined {
  const text = value?.trim().replace(/[,\s]/g, '');
  if (!text) return undefined;
  if (!/^\d+(\.0+)?$/.test(text)) throw new RowError(`${column} "${value}" is not a whole number ≥ 0`);
  return Number(text);
}

const defined = (metrics: Record<string, number | undefined>): PostMetrics =>
  Object.fromEntries(Object.entries(metrics).filter(([, value]) => value !== undefined)) as PostMetrics;

const READERS: Record<ImportLayout, { detect: (header: readonly string[]) => boolean; read: Reader }> = {
  crescendo: {
    detect: (header) => header.includes('platform') && (header.includes('date') || header.includes('platformpostid')),
    read: (cell) => {
      const platform = platformSchema.safeParse(cell('platform')?.trim().toLowerCase());
      if (!platform.success) throw new RowError(`platform "${cell('platform') ?? ''}" is not one of ${platformSchema.options.join(', ')}`);
      const platformPostId = cell('platformPostId')?.trim() || undefined;
      return {
        platform: platform.data,
        ...(platformPostId && { platformPostId }),
        ...(cell('date')?.trim() && { date: importDate(cell('date')) }),
        metrics: defined(
          Object.fromEntries(CRESCENDO_COLUMNS.slice(3).map((column) => [column, count(cell(column), column)])) as Record<string, number>,
        ),
      };
    },
  },
  // Columns as YouTube Studio (Analytics → Advanced mode → Content → Export) writes them; see test/fixtures/metrics-import/.
  'youtube-studio': {
    detect: (header) => header.includes('content') && header.includes('video publish time'),
    read: (cell) => {
      if (cell('Content')?.trim() === 'Total') return { skip: true };
      const hours = cell('Watch time (hours)')?.trim();
      if (hours && !/^\d+(\.\d+)?$/.test(hours.replace(/,/g, ''))) throw new RowError(`Watch time (hours) "${hours}" is not a number`);
      return {
        platform: 'youtube',
        platformPostId: cell('Content')?.trim() || undefined,
        date: importDate(cell('Video publish time')),
        metrics: defined({
          views: count(cell('Views'), 'Views'),
          likes: count(cell('Likes'), 'Likes'),
          comments: count(cell('Comments added'), 'Comments added'),
          shares: count(cell('Shares'), 'Shares'),
          followersGained: count(cell('Subscribers'), 'Subscribers'),
          watchTimeSeconds: hours ? Math.round(Number(hours.replace(/,/g, '')) * 3600) : undefined,
        }),
      };
    },
  },
  // X's analytics export (tweet activity), legacy column names; see test/fixtures/metrics-import/.
  'x-analytics': {
    detect: (header) => header.includes('tweet id') && header.includes('impressions'),
    read: (cell) => ({
      platform: 'x',
      platformPostId: cell('Tweet id')?.trim() || undefined,
      date: importDate(cell('time')),
      metrics: defined({
        views: count(cell('impressions'), 'impressions'),
        likes: count(cell('likes'), 'likes'),
        comments: count(cell('replies'), 'replies'),
        shares: count(cell('retweets'), 'retweets'),
        clicks: count(cell('url clicks'), 'url clicks'),
        followersGained: count(cell('follows'), 'follows'),
      }),
    }),
  },
};

const invalid = (rows: { row: number; message: string }[]) =>
  new DomainError(
    'METRICS_IMPORT_INVALID',
    `The file cannot be imported: ${rows.map((r) => `row ${r.row}: ${r.message}`).join('; ')}`.slice(0, 600),
    {
      rows: rows.slice(0, 50),
    },
  );

/** The file's layout and rows; any malformed row refuses the whole file. */
export function readMetricsCsv(text: string): { layout: ImportLayout; rows: ImportRow[] } {
  const [header, ...data] = parseCsv(text);
  if (!header) throw invalid([{ row: 1, message: 'the file is empty' }]);
  const names = header.map((name) => name.trim().toLowerCase());
  const layout = importLayouts.find((candidate) => READERS[candidate].detect(names));
  if (!layout) {
    throw invalid([
      {
        row: 1,
        message: `the header is none of the known layouts (Crescendo: ${CRESCENDO_COLUMNS.join(',')}; YouTube Studio; X analytics)`,
      },
    ]);
  }
  const rows: ImportRow[] = [];
  const errors: { row: number; message: string }[] = [];
  data.forEach((cells, index) => {
    const row = index + 2;
    const cell = (name: string) => cells[names.indexOf(name.toLowerCase())];
    try {
      const read = READERS[layout].read(cell);
      if ('skip' in read) return;
      if (Object.keys(read.metrics).length === 0) throw new RowError('no metric');
      rows.push({ row, ...read });
    } catch (error) {
      if (!(error instanceof RowError)) throw error;
      errors.push({ row, message: error.message });
    }
  });
  if (errors.length > 0) throw invalid(errors);
  return { layout, rows };
}

export interface PostedPost {
  day: number;
  platform: Platform;
  /** The planned local date. */
  date: string;
  execution: Pick<PostExecution, 'posted' | 'platformPostId' | 'postedAt'>;
}

/**
 * Each row matched to a posted post: by platform post id, else by the post's local date (when it
 * went live, or its planned date) and platform when exactly one post fits. Two rows for one post
 * keep the first; the rest are reported.
 */
export function matchRows(
  rows: readonly ImportRow[],
  posts: readonly PostedPost[],
  campaign: { platforms: readonly Platform[]; timeZone: string },
): Pick<MetricsImportReport, 'matched' | 'unmatched'> & { reports: { day: number; platform: Platform; metrics: PostMetrics }[] } {
  const posted = posts.filter((post) => post.execution.posted);
  const localDate = (post: PostedPost) =>
    post.execution.postedAt ? localDateTime(post.execution.postedAt, campaign.timeZone).date : post.date;
  const matched: MetricsImportReport['matched'] = [];
  const unmatched: MetricsImportReport['unmatched'] = [];
  const reports: { day: number; platform: Platform; metrics: PostMetrics }[] = [];
  const taken = new Map<string, number>();
  for (const row of rows) {
    if (!campaign.platforms.includes(row.platform)) {
      unmatched.push({ row: row.row, reason: 'platform_not_in_campaign', message: `The campaign does not post on ${row.platform}` });
      continue;
    }
    const byId = row.platformPostId
      ? posted.find((post) => post.platform === row.platform && post.execution.platformPostId === row.platformPostId)
      : undefined;
    const onDate = row.date ? posted.filter((post) => post.platform === row.platform && localDate(post) === row.date) : [];
    const post = byId ?? (onDate.length === 1 ? onDate[0] : undefined);
    if (!post) {
      if (!row.date) {
        unmatched.push({
          row: row.row,
          reason: 'no_date_or_id',
          message: `No posted post has the id ${row.platformPostId ?? '(none)'}, and the row has no date`,
        });
      } else if (onDate.length > 1) {
        unmatched.push({
          row: row.row,
          reason: 'several_posts_on_date',
          message: `${onDate.length} posts went out on ${row.platform} on ${row.date}: give the platform post id`,
        });
      } else {
        unmatched.push({ row: row.row, reason: 'no_post_on_date', message: `No confirmed posted post on ${row.platform} on ${row.date}` });
      }
      continue;
    }
    const key = `${post.day}#${post.platform}`;
    if (taken.has(key)) {
      unmatched.push({
        row: row.row,
        reason: 'same_post_twice',
        message: `Row ${taken.get(key)} already reports day ${post.day} on ${post.platform}`,
      });
      continue;
    }
    taken.set(key, row.row);
    matched.push({ row: row.row, day: post.day, platform: post.platform, by: byId ? 'platformPostId' : 'date' });
    reports.push({ day: post.day, platform: post.platform, metrics: row.metrics });
  }
  return { matched, unmatched, reports };
}
