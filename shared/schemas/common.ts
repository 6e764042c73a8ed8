import * as z from './zod';

/** A job id (and every id minted by newJobId, shared/domain/jobs.ts): a ULID. */
export const JOB_ID_PATTERN = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/**
 * Characters no text field accepts: C0 controls (U+0000–U+001F), DEL and C1 controls
 * (U+007F–U+009F), and the bidirectional embedding, override and isolate controls (U+202A–U+202E,
 * U+2066–U+2069) that make text display otherwise than it reads. Multi-line fields allow tab, line
 * feed and carriage return.
 */
const CONTROLS = String.raw`\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069`;
const CONTROLS_BUT_LINE_BREAKS = String.raw`\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069`;
export const CONTROL_CHARACTERS = new RegExp(`[${CONTROLS}]`, 'gu');
export const CONTROL_CHARACTERS_BUT_LINE_BREAKS = new RegExp(`[${CONTROLS_BUT_LINE_BREAKS}]`, 'gu');

/** True when `value` has no control or bidi character (`search` ignores the global flag's lastIndex: no state between calls). */
export const isSingleLine = (value: string) => value.search(CONTROL_CHARACTERS) === -1;

/** The same rules as whole-string patterns, so the OpenAPI document states them (`pattern`) and clients can check them. */
const SINGLE_LINE_TEXT = new RegExp(`^[^${CONTROLS}]*$`, 'u');
const MULTI_LINE_TEXT = new RegExp(`^[^${CONTROLS_BUT_LINE_BREAKS}]*$`, 'u');
export const SINGLE_LINE_MESSAGE =
  'must not contain control characters (U+0000–U+001F, U+007F–U+009F) or bidirectional controls (U+202A–U+202E, U+2066–U+2069)';

/**
 * The string of every request field: one line of text, no control or bidi character (400
 * VALIDATION_FAILED naming the field). Use it wherever a request schema would use z.string().
 */
export const singleLineText = () => z.string().check(z.regex(SINGLE_LINE_TEXT, { message: SINGLE_LINE_MESSAGE }));

/** The same for text of several lines (a post, a description): tab, line feed and carriage return allowed. */
export const multiLineText = () =>
  z.string().check(
    z.regex(MULTI_LINE_TEXT, {
      message:
        'must not contain control characters other than tab and line breaks, or bidirectional controls (U+202A–U+202E, U+2066–U+2069)',
    }),
  );

export const platformSchema = z.withMeta(
  z.enum(['youtube', 'instagram', 'tiktok', 'x', 'linkedin', 'threads', 'bluesky', 'facebook', 'blog']),
  { id: 'Platform' },
);
export type Platform = z.infer<typeof platformSchema>;

/** How each platform is written for people. */
export const platformLabels: Record<Platform, string> = {
  youtube: 'YouTube',
  instagram: 'Instagram',
  tiktok: 'TikTok',
  x: 'X',
  linkedin: 'LinkedIn',
  threads: 'Threads',
  bluesky: 'Bluesky',
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

export const timeZoneSchema = z.withMeta(
  z.string().check(z.refine(isIanaTimeZone, { message: 'must be an IANA time zone such as Europe/Paris' })),
  { description: 'IANA time zone of the creator', example: 'Europe/Paris' },
);

export const metaSchema = z.withMeta(
  z.object({
    requestId: z.string(),
    timestamp: z.iso.datetime(),
    nextCursor: z.optional(z.string()),
  }),
  { id: 'Meta' },
);

export const errorBodySchema = z.withMeta(
  z.object({
    error: z.object({
      code: z.withMeta(z.string(), { description: 'Stable machine-readable error code' }),
      message: z.string(),
      details: z.optional(z.unknown()),
    }),
    meta: metaSchema,
  }),
  { id: 'ErrorResponse' },
);

export function envelopeOf<T extends z.ZodMiniType>(data: T) {
  return z.object({ data, meta: metaSchema });
}
