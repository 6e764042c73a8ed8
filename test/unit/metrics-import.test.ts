import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importDate, matchRows, parseCsv, readMetricsCsv, type PostedPost } from '../../shared/domain/metrics-import';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/metrics-import/${name}`, import.meta.url), 'utf8');
const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return error as { code: string; details: unknown };
  }
};

describe('metrics CSV', () => {
  it('parses quoted commas, doubled quotes, CRLF and a BOM', () => {
    expect(parseCsv('\uFEFFa,b\r\n"x, y","say ""hi"""\r\n\r\n')).toEqual([
      ['a', 'b'],
      ['x, y', 'say "hi"'],
    ]);
  });

  it("reads Crescendo's columns", () => {
    const { layout, rows } = readMetricsCsv('platform,date,platformPostId,views,likes\nyoutube,2026-12-07,,100,7\nx,,123,"1,200",\n');
    expect(layout).toBe('crescendo');
    expect(rows).toEqual([
      { row: 2, platform: 'youtube', date: '2026-12-07', metrics: { views: 100, likes: 7 } },
      { row: 3, platform: 'x', platformPostId: '123', metrics: { views: 1200 } },
    ]);
  });

  it('reads a YouTube Studio export: skips the Total row, hours to seconds, Subscribers as followers gained', () => {
    const { layout, rows } = readMetricsCsv(fixture('youtube-studio.csv'));
    expect(layout).toBe('youtube-studio');
    expect(rows[0]).toEqual({
      row: 3,
      platform: 'youtube',
      platformPostId: 'vid-day1',
      date: '2026-12-07',
      metrics: { views: 8200, likes: 410, comments: 40, shares: 15, followersGained: 20, watchTimeSeconds: 216900 },
    });
    expect(rows).toHaveLength(2);
  });

  it('reads an X analytics export: impressions as views, replies as comments, retweets as shares', () => {
    const { layout, rows } = readMetricsCsv(fixture('x-analytics.csv'));
    expect(layout).toBe('x-analytics');
    expect(rows[0]).toEqual({
      row: 2,
      platform: 'x',
      platformPostId: '1866000000000000001',
      date: '2026-12-07',
      metrics: { views: 5000, likes: 140, comments: 9, shares: 12, clicks: 14, followersGained: 3 },
    });
  });

  it('refuses the whole file for an unknown header or any malformed row, naming the rows', () => {
    expect(code(() => readMetricsCsv('foo,bar\n1,2'))?.code).toBe('METRICS_IMPORT_INVALID');
    const error = code(() =>
      readMetricsCsv('platform,date,likes\nyoutube,2026-12-07,5\nmyspace,2026-12-08,1\nx,2026-02-30,1\nx,2026-12-08,-4'),
    );
    expect(error?.code).toBe('METRICS_IMPORT_INVALID');
    expect((error?.details as { rows: { row: number }[] }).rows.map((r) => r.row)).toEqual([3, 4, 5]);
  });

  it('reads the dates exports write', () => {
    expect(['2026-12-07', 'Dec 7, 2026', 'Sep 20 2026', '2026-08-15 13:12:39 +0000', '8/15/2026'].map(importDate)).toEqual([
      '2026-12-07',
      '2026-12-07',
      '2026-09-20',
      '2026-08-15',
      '2026-08-15',
    ]);
  });
});

describe('matching rows to posts', () => {
  const posted = (day: number, platform: PostedPost['platform'], postedAt: string, platformPostId?: string): PostedPost => ({
    day,
    platform,
    date: postedAt.slice(0, 10),
    execution: { posted: true, postedAt, ...(platformPostId && { platformPostId }) },
  });
  const posts = [
    posted(1, 'youtube', '2026-12-07T17:00:00.000Z', 'vid-day1'),
    posted(3, 'youtube', '2026-12-09T17:00:00.000Z'),
    posted(1, 'x', '2026-12-07T09:00:00.000Z'),
    posted(2, 'x', '2026-12-08T09:00:00.000Z'),
    posted(3, 'x', '2026-12-08T20:00:00.000Z'),
    { ...posted(4, 'x', '2026-12-10T09:00:00.000Z'), execution: { posted: false } },
  ];
  const campaign = { platforms: ['youtube', 'x'] as const, timeZone: 'Europe/Paris' };
  const row = (n: number, fields: Partial<Parameters<typeof matchRows>[0][number]>) => ({
    row: n,
    platform: 'x' as const,
    metrics: { likes: n },
    ...fields,
  });

  it('matches by platform post id, else by local date and platform, and says why the others did not match', () => {
    const result = matchRows(
      [
        row(2, { platform: 'youtube', platformPostId: 'vid-day1', date: '2026-01-01' }),
        row(3, { platform: 'youtube', date: '2026-12-09' }),
        row(4, { date: '2026-12-08' }),
        row(5, { date: '2026-12-10' }),
        row(6, { platform: 'tiktok', date: '2026-12-07' }),
        row(7, { platform: 'youtube', platformPostId: 'vid-day1' }),
        row(8, { platformPostId: 'unknown' }),
      ],
      posts,
      { ...campaign, platforms: [...campaign.platforms] },
    );
    expect(result.matched).toEqual([
      { row: 2, day: 1, platform: 'youtube', by: 'platformPostId' },
      { row: 3, day: 3, platform: 'youtube', by: 'date' },
    ]);
    expect(result.unmatched.map((r) => [r.row, r.reason])).toEqual([
      [4, 'several_posts_on_date'],
      [5, 'no_post_on_date'],
      [6, 'platform_not_in_campaign'],
      [7, 'same_post_twice'],
      [8, 'no_date_or_id'],
    ]);
    expect(result.reports).toEqual([
      { day: 1, platform: 'youtube', metrics: { likes: 2 } },
      { day: 3, platform: 'youtube', metrics: { likes: 3 } },
    ]);
  });
});
