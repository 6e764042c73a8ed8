import * as z from '../../schemas/zod';
import type { BrandAssetNote } from '../../schemas/assets';
import { UNIVERSAL_LIMITS } from '../../domain/platform-rules';
import type { goalTypeSchema } from '../../schemas/campaign-fields';
import { platformSchema, type Platform } from '../../schemas/common';
import { hookStyles, type HookStyle } from '../../schemas/vocabulary';

export type GoalType = z.infer<typeof goalTypeSchema>;

export interface PostBrief {
  day: number;
  platform: Platform;
  format: string;
  pillar: string;
  topic: string;
  angle: string;
  /** The hook style the post opens with, when the campaign tests hook styles. */
  hookStyle?: HookStyle;
}

export interface PostCritique {
  day: number;
  platform: Platform;
  score: number;
  reasons: readonly string[];
}

export interface WriterGoal {
  type: GoalType;
  metric: string;
  target: number;
}

export interface WriterInput {
  strategy: { summary: string; positioning: string; pillars: readonly string[] };
  voice: { tone: string; dos: readonly string[]; donts: readonly string[] };
  /** BCP 47 tag of the language to write in. */
  language: string;
  goal: WriterGoal;
  niche: string;
  audience: string;
  /** What the creator said about themselves (profile), which the offline writer draws on. */
  creator?: { uniqueAngle?: string; strengths?: readonly string[]; topics?: readonly string[] };
  posts: readonly PostBrief[];
  /** The previous round's critiques: the posts named here are rewritten to address their reasons. */
  critiques?: readonly PostCritique[];
  /** Titles and openings (hooks) the campaign's other posts already use: never reused. */
  taken?: { titles: readonly string[]; hooks: readonly string[] };
  /** Titles and openings (hooks) of the creator's earlier campaigns: never reused, first drafts included. */
  earlier?: { titles: readonly string[]; hooks: readonly string[] };
  /**
   * The whole plan (this batch's posts included), for batches written in parallel: titles and
   * openings are kept distinct across it. Only `posts` are written.
   */
  calendar?: readonly PostBrief[];
  /** Hook styles the campaign tests: every post gets one hook per style (`hooks`) and opens with its own `hookStyle`'s. */
  hookStyles?: readonly HookStyle[];
  /** The creator's brand assets (type, purpose, name, description), frozen at start. */
  brandAssets?: readonly BrandAssetNote[];
}

const text = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));

export const writerScriptSchema = z.object({
  hook: z.withMeta(text(UNIVERSAL_LIMITS.hook), { description: 'First 1–3 seconds, spoken' }),
  body: z.withMeta(text(UNIVERSAL_LIMITS.body), { description: 'The beats of the video, one per line' }),
  cta: z.withMeta(text(UNIVERSAL_LIMITS.scriptCta), { description: 'Spoken call to action' }),
});

export const writerPostSchema = z.object({
  day: z.number().check(z.int(), z.gte(1), z.lte(90)),
  platform: z.enum(platformSchema.options),
  title: text(UNIVERSAL_LIMITS.title),
  script: z.withMeta(z.optional(writerScriptSchema), { description: 'Only for video formats (video, short video, reel)' }),
  post: z.withMeta(text(UNIVERSAL_LIMITS.post), { description: 'The text as published: description, caption, post or article' }),
  seoTags: z.withMeta(z.array(text(UNIVERSAL_LIMITS.seoTagChars)).check(z.maxLength(UNIVERSAL_LIMITS.seoTagCount)), {
    description: 'Tags, hashtags (without #) or keywords',
  }),
  cta: text(UNIVERSAL_LIMITS.cta),
  thumbnailPrompt: z.withMeta(text(1000), { description: "The thumbnail's or cover's picture in one short sentence; the format is added" }),
  hooks: z.withMeta(
    z.optional(
      z.object(
        Object.fromEntries(hookStyles.map((style) => [style, z.optional(text(UNIVERSAL_LIMITS.hook))])) as Record<
          HookStyle,
          z.ZodMiniOptional<z.ZodMiniString>
        >,
      ),
    ),
    { description: 'Only when hook styles are tested: one opening line per tested style' },
  ),
});

export const writerOutputSchema = z.object({ posts: z.array(writerPostSchema).check(z.maxLength(200)) });

export type WriterScript = z.infer<typeof writerScriptSchema>;
export type WriterPost = z.infer<typeof writerPostSchema>;
export type WriterOutput = z.infer<typeof writerOutputSchema>;
