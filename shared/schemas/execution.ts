import * as z from './zod';
import { multiLineText, platformSchema, singleLineText } from './common';
import { contentItemSchema } from './content';
import { postScoreSchema } from './scores';
import { importLayouts, metricFields, metricsCheckpointNames } from './vocabulary';

/** Where a planned post stands: the creator's approval, the posting trigger's reminder, the creator's confirmation. */
export const postStatuses = ['planned', 'approved', 'due', 'posted', 'skipped'] as const;
export const postStatusSchema = z.withMeta(z.enum(postStatuses), { id: 'PostStatus' });
export type PostStatus = z.infer<typeof postStatusSchema>;

const DATE_RANGE_MESSAGE = 'from must not be after to';

export const scheduleQuerySchema = z
  .strictObject({
    from: z.withMeta(z.optional(z.iso.date()), {
      description: "First local date (creator's time zone); default: the campaign's first day",
    }),
    to: z.withMeta(z.optional(z.iso.date()), { description: "Last local date; default: the campaign's last day" }),
  })
  .check(z.refine((q) => q.from === undefined || q.to === undefined || q.from <= q.to, { message: DATE_RANGE_MESSAGE, path: ['from'] }));

export const schedulePostSchema = z.withMeta(
  z.extend(
    z.pick(contentItemSchema, {
      day: true,
      platform: true,
      date: true,
      localTime: true,
      dueAt: true,
      format: true,
      title: true,
      pillar: true,
      thumbnailUrl: true,
    }),
    { status: postStatusSchema, score: z.withMeta(z.optional(postScoreSchema), { description: 'Posted posts with metrics' }) },
  ),
  { id: 'SchedulePost' },
);
export type SchedulePost = z.infer<typeof schedulePostSchema>;

export const scheduleSchema = z.withMeta(
  z.object({
    campaignId: z.uuid(),
    timeZone: z.string(),
    from: z.iso.date(),
    to: z.iso.date(),
    days: z.array(z.object({ date: z.iso.date(), day: z.number().check(z.int()), posts: z.array(schedulePostSchema) })),
  }),
  { id: 'Schedule' },
);
export type Schedule = z.infer<typeof scheduleSchema>;

const count = z.number().check(z.int(), z.gte(0), z.lte(1e12));

export const postMetricsSchema = z.withMeta(
  z.strictObject(
    Object.fromEntries(metricFields.map((field) => [field, z.optional(count)])) as Record<
      (typeof metricFields)[number],
      z.ZodMiniOptional<typeof count>
    >,
  ),
  {
    id: 'PostMetrics',
    description: 'Totals so far as the platform reports them (non-negative integers); a later report replaces them',
  },
);
export type PostMetrics = z.infer<typeof postMetricsSchema>;

export const confirmDaySchema = z.withMeta(
  z
    .strictObject({
      day: z.withMeta(z.number().check(z.int(), z.gte(1), z.lte(90)), { description: '1-based day of the campaign' }),
      platform: platformSchema,
      posted: z.withMeta(z.boolean(), { description: 'false: the post was skipped' }),
      platformPostId: z.optional(singleLineText().check(z.trim(), z.minLength(1), z.maxLength(200))),
      postedAt: z.withMeta(z.optional(z.iso.datetime({ offset: true })), {
        description: 'When it went live; default: the planned time (or now, if that is later)',
      }),
      metrics: z.optional(postMetricsSchema),
    })
    .check(
      z.refine((body) => body.posted || (body.platformPostId === undefined && body.postedAt === undefined && body.metrics === undefined), {
        message: 'a skipped post has no platformPostId, postedAt or metrics',
        path: ['posted'],
      }),
    ),
  { id: 'ConfirmDayRequest' },
);
export type ConfirmDay = z.infer<typeof confirmDaySchema>;

export const metricsSources = ['manual', 'platform'] as const;
export const metricsReportSchema = z.object({
  reportedAt: z.iso.datetime(),
  metrics: postMetricsSchema,
  source: z.withMeta(z._default(z.enum(metricsSources), 'manual'), {
    description: 'manual: confirm-day or the CSV import; platform: a connected account. Reports stored before it are manual',
  }),
});
export type MetricsReport = z.infer<typeof metricsReportSchema>;

export const postExecutionSchema = z.withMeta(
  z.object({
    campaignId: z.uuid(),
    day: z.number().check(z.int()),
    platform: platformSchema,
    posted: z.boolean(),
    status: postStatusSchema,
    platformPostId: z.optional(z.string()),
    url: z.withMeta(z.optional(z.url()), { description: 'The post on the platform, when Crescendo published it' }),
    source: z.withMeta(z.optional(z.enum(['manual', 'published'])), {
      description: '`published`: Crescendo published it through the connection; `manual` (or absent): confirmed by the creator',
    }),
    postedAt: z.optional(z.iso.datetime()),
    metrics: z.withMeta(z.optional(postMetricsSchema), {
      description: 'The newest report by reportedAt, whatever its source (sources are never added)',
    }),
    history: z.withMeta(z.array(metricsReportSchema), { description: 'Every metrics report, oldest first (the last 50)' }),
    metricsCheckpoints: z.withMeta(z.optional(z.array(z.enum(metricsCheckpointNames))), {
      description: 'The checkpoints after posting (1h, 24h, 72h, 7d) the scheduled import has fetched or passed, in order',
    }),
    version: z.number().check(z.int()),
    confirmedAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  }),
  { id: 'PostExecution' },
);
export type PostExecution = z.infer<typeof postExecutionSchema>;

export const metricsImportRequestSchema = z.withMeta(
  z.strictObject({
    csv: z.withMeta(multiLineText().check(z.minLength(1), z.maxLength(60_000)), {
      description:
        "The file's text: Crescendo's columns, a YouTube Studio (Advanced mode, Table data.csv) or an X analytics (tweet activity) export",
    }),
  }),
  { id: 'MetricsImportRequest' },
);
export type MetricsImportRequest = z.infer<typeof metricsImportRequestSchema>;

export const unmatchedReasons = [
  'no_post_on_date',
  'several_posts_on_date',
  'platform_not_in_campaign',
  'same_post_twice',
  'no_date_or_id',
] as const;

export const metricsImportReportSchema = z.withMeta(
  z.object({
    layout: z.enum(importLayouts),
    rows: z.withMeta(z.number().check(z.int()), { description: 'Data rows read (a YouTube Studio Total row is not one)' }),
    applied: z.withMeta(z.number().check(z.int()), { description: 'Posts that received a metrics report, all in one transaction' }),
    matched: z.array(
      z.object({
        row: z.number().check(z.int()),
        day: z.number().check(z.int()),
        platform: platformSchema,
        by: z.enum(['platformPostId', 'date']),
      }),
    ),
    unmatched: z.array(z.object({ row: z.number().check(z.int()), reason: z.enum(unmatchedReasons), message: z.string() })),
  }),
  { id: 'MetricsImportReport', description: 'Rows are numbered as in the file (the header is row 1)' },
);
export type MetricsImportReport = z.infer<typeof metricsImportReportSchema>;
