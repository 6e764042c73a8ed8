import * as z from 'zod';
import { platformSchema, singleLineText } from './common';
import { contentItemSchema } from './content';

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
  .extend({ status: postStatusSchema })
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

export const metricsReportSchema = z.object({ reportedAt: z.iso.datetime(), metrics: postMetricsSchema });

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
    metrics: postMetricsSchema.optional().meta({ description: 'The latest report' }),
    history: z.array(metricsReportSchema).meta({ description: 'Every metrics report, oldest first (the last 50)' }),
    version: z.number().int(),
    confirmedAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'PostExecution' });
export type PostExecution = z.infer<typeof postExecutionSchema>;
