import * as z from 'zod';

export const platformSchema = z
  .enum(['youtube', 'instagram', 'tiktok', 'x', 'linkedin', 'threads', 'facebook', 'blog'])
  .meta({ id: 'Platform' });
export type Platform = z.infer<typeof platformSchema>;

/** How each platform is written for people. */
export const platformLabels: Record<Platform, string> = {
  youtube: 'YouTube',
  instagram: 'Instagram',
  tiktok: 'TikTok',
  x: 'X',
  linkedin: 'LinkedIn',
  threads: 'Threads',
  facebook: 'Facebook',
  blog: 'Blog',
};

export function isIanaTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return value.includes('/') || value === 'UTC';
  } catch {
    return false;
  }
}

export const timeZoneSchema = z
  .string()
  .refine(isIanaTimeZone, { message: 'must be an IANA time zone such as Europe/Paris' })
  .meta({ description: 'IANA time zone of the creator', example: 'Europe/Paris' });

export const metaSchema = z
  .object({
    requestId: z.string(),
    timestamp: z.iso.datetime(),
    nextCursor: z.string().optional(),
  })
  .meta({ id: 'Meta' });

export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.string().meta({ description: 'Stable machine-readable error code' }),
      message: z.string(),
      details: z.unknown().optional(),
    }),
    meta: metaSchema,
  })
  .meta({ id: 'ErrorResponse' });

export function envelopeOf<T extends z.ZodType>(data: T) {
  return z.object({ data, meta: metaSchema });
}
