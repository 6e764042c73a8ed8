import * as z from 'zod';
import { multiLineText, platformSchema, singleLineText } from './common';
import { contentItemSchema } from './content';
import { postScoreSchema } from './scores';

/** Where a planned post stands: the creator's approval, the posting trigger's reminder, the creator's confirmation. */
export const postStatuses = ['planned', 'approved', 'due', 'posted', 'skipped'] as const;
export const postStatusSchema = z.enum(postStatuses).meta({ id: 'PostStatus' });
export type PostStatus = z.infer<typeof postStatusSchema>;

const DATE_RANGE_MESSAGE = 'from must not be after to';

export const scheduleQuerySchema = z
  .strictObject({
    from: z.iso.date().optional().meta({ description: "First local date (creator's time zone); default: the campaign's first day" }),
    to: z.iso.date().optional().meta({ description: "Last local date; default: the campaign's last day" }),
  })
  .refine((q) => q.from === undefined || q.to === undefined || q.from <= q.to, { message: DATE_RANGE_MESSAGE, path: ['from'] });

export const schedulePostSchema = contentItemSchema
  .pick({
    day: true,
    platform: true,
    date: true,
    localTime: true,
    dueAt: true,
    format: true,
    title: true,
    pillar: true,
    thumbnailUrl: true,
  })
  .extend({ status: postStatusSchema, score: postScoreSchema.optional().meta({ description: 'Posted posts with metrics' }) })
  .meta({ id: 'SchedulePost' });
export type SchedulePost = z.infer<typeof schedulePostSchema>;

export const scheduleSchema = z
  .object({
    campaignId: z.uuid(),
    timeZone: z.string(),
    from: z.iso.date(),
    to: z.iso.date(),
    days: z.array(z.object({ date: z.iso.date(), day: z.number().int(), posts: z.array(schedulePostSchema) })),
  })
  .meta({ id: 'Schedule' });
export type Schedule = z.infer<typeof scheduleSchema>;

const count = z.number().int().min(0).max(1e12);
export const metricFields = ['views', 'likes', 'comments', 'shares', 'saves', 'followersGained', 'clicks', 'watchTimeSeconds'] as const;

export const postMetricsSchema = z
  .strictObject(
    Object.fromEntries(metricFields.map((field) => [field, count.optional()])) as Record<
      (typeof metricFields)[number],
      z.ZodOptional<typeof count>
    >,
  )
  .meta({
    id: 'PostMetrics',
    description: 'Totals so far as the platform reports them (non-negative integers); a later report replaces them',
  });
export type PostMetrics = z.infer<typeof postMetricsSchema>;

export const confirmDaySchema = z
  .strictObject({
    day: z.number().int().min(1).max(90).meta({ description: '1-based day of the campaign' }),
    platform: platformSchema,
    posted: z.boolean().meta({ description: 'false: the post was skipped' }),
    platformPostId: singleLineText().trim().min(1).max(200).optional(),
    postedAt: z.iso
      .datetime({ offset: true })
      .optional()
      .meta({ description: 'When it went live; default: the planned time (or now, if that is later)' }),
    metrics: postMetricsSchema.optional(),
  })
  .refine((body) => body.posted || (body.platformPostId === undefined && body.postedAt === undefined && body.metrics === undefined), {
    message: 'a skipped post has no platformPostId, postedAt or metrics',
    path: ['posted'],
  })
  .meta({ id: 'ConfirmDayRequest' });
export type ConfirmDay = z.infer<typeof confirmDaySchema>;

/** The checkpoints after posting at which the scheduled import reads a post's metrics (shared/domain/metrics-checkpoints.ts). */
export const metricsCheckpointNames = ['1h', '24h', '72h', '7d'] as const;

export const metricsSources = ['manual', 'platform'] as const;
export const metricsReportSchema = z.object({
  reportedAt: z.iso.datetime(),
  metrics: postMetricsSchema,
  source: z
    .enum(metricsSources)
    .default('manual')
    .meta({ description: 'manual: confirm-day or the CSV import; platform: a connected account. Reports stored before it are manual' }),
});
export type MetricsReport = z.infer<typeof metricsReportSchema>;

export const postExecutionSchema = z
  .object({
    campaignId: z.uuid(),
    day: z.number().int(),
    platform: platformSchema,
    posted: z.boolean(),
    status: postStatusSchema,
    platformPostId: z.string().optional(),
    url: z.url().optional().meta({ description: 'The post on the platform, when Crescendo published it' }),
    source: z
      .enum(['manual', 'published'])
      .optional()
      .meta({ description: '`published`: Crescendo published it through the connection; `manual` (or absent): confirmed by the creator' }),
    postedAt: z.iso.datetime().optional(),
    metrics: postMetricsSchema
      .optional()
      .meta({ description: 'The newest report by reportedAt, whatever its source (sources are never added)' }),
    history: z.array(metricsReportSchema).meta({ description: 'Every metrics report, oldest first (the last 50)' }),
    metricsCheckpoints: z
      .array(z.enum(metricsCheckpointNames))
      .optional()
      .meta({ description: 'The checkpoints after posting (1h, 24h, 72h, 7d) the scheduled import has fetched or passed, in order' }),
    version: z.number().int(),
    confirmedAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'PostExecution' });
export type PostExecution = z.infer<typeof postExecutionSchema>;

export const metricsImportRequestSchema = z
  .strictObject({
    csv: multiLineText().min(1).max(60_000).meta({
      description:
        "The file's text: Crescendo's columns, a YouTube Studio (Advanced mode, Table data.csv) or an X analytics (tweet activity) export",
    }),
  })
  .meta({ id: 'MetricsImportRequest' });
export type MetricsImportRequest = z.infer<typeof metricsImportRequestSchema>;

export const importLayouts = ['crescendo', 'youtube-studio', 'x-analytics'] as const;
export const unmatchedReasons = [
  'no_post_on_date',
  'several_posts_on_date',
  'platform_not_in_campaign',
  'same_post_twice',
  'no_date_or_id',
] as const;

export const metricsImportReportSchema = z
  .object({
    layout: z.enum(importLayouts),
    rows: z.number().int().meta({ description: 'Data rows read (a YouTube Studio Total row is not one)' }),
    applied: z.number().int().meta({ description: 'Posts that received a metrics report, all in one transaction' }),
    matched: z.array(
      z.object({ row: z.number().int(), day: z.number().int(), platform: platformSchema, by: z.enum(['platformPostId', 'date']) }),
    ),
    unmatched: z.array(z.object({ row: z.number().int(), reason: z.enum(unmatchedReasons), message: z.string() })),
  })
  .meta({ id: 'MetricsImportReport', description: 'Rows are numbered as in the file (the header is row 1)' });
export type MetricsImportReport = z.infer<typeof metricsImportReportSchema>;
