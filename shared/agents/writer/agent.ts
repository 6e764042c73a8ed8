import { OFFLINE_MODEL } from '../../ai/offline';
import type { AgentSpec } from '../../ai/types';
import { WRITER_MAX_WRITTEN_TOKENS } from '../../domain/writer-chunks';
import type { Platform } from '../../schemas/common';
import { writeOffline } from './offline';
import { WRITER_SYSTEM, writerPrompt } from './prompt';
import { type WriterInput, writerOutputSchema, type WriterPost, type WriterOutput } from './schema';

/**
 * The writer: one chunk of a week's planned posts (shared/domain/writer-chunks.ts: one platform, at most
 * WRITER_MAX_WRITTEN_TOKENS of drafts) in, ready-to-post content out.
 * With critiques from the previous round it rewrites the criticized posts to address them.
 * Per-platform limits are not in the schema (a model cannot count X's weighted characters); the
 * critic's hard checks enforce them and send a post back when it breaks one.
 */

export const writerAgent: AgentSpec<WriterInput, WriterOutput> = {
  name: 'writer',
  schema: writerOutputSchema,
  system: WRITER_SYSTEM,
  prompt: writerPrompt,
  offline: writeOffline,
  // It writes to a plan (the planner's topic and angle, the critic's fixes): thinking would add
  // latency and output cost to every call, so it has none.
  thinkingBudget: 0,
  maxOutputTokens: WRITER_MAX_WRITTEN_TOKENS,
};

/**
 * The language of what the offline twin writes: its templates are English, whatever the
 * campaign's `agentConfig.language` asks for (which a model does follow).
 */
export const OFFLINE_WRITER_LANGUAGE = 'en';

export type AlignedDraft = WriterPost & {
  /** BCP 47 tag of the language the draft is written in: the input's, or OFFLINE_WRITER_LANGUAGE where the twin wrote it. */
  language: string;
};

/**
 * One draft per planned post, in plan order: the model's entry for each (day, platform), or the
 * offline twin's when the model left one out. Entries for posts not in the plan are dropped.
 * `model` is the one that answered: `offline` means every draft is the twin's.
 */
export function alignDrafts(
  input: WriterInput,
  output: WriterOutput,
  seed: string,
  model: string,
): { posts: AlignedDraft[]; filled: { day: number; platform: Platform }[] } {
  const byKey = new Map<string, WriterPost>();
  for (const post of output.posts) if (!byKey.has(`${post.day}|${post.platform}`)) byKey.set(`${post.day}|${post.platform}`, post);
  const missing = input.posts.filter((brief) => !byKey.has(`${brief.day}|${brief.platform}`));
  const twin = missing.length ? writeOffline({ ...input, posts: missing }, seed).posts : [];
  const twinByKey = new Map(twin.map((post) => [`${post.day}|${post.platform}`, post]));
  const modelLanguage = model === OFFLINE_MODEL ? OFFLINE_WRITER_LANGUAGE : input.language;
  return {
    posts: input.posts.map((brief) => {
      const key = `${brief.day}|${brief.platform}`;
      const own = byKey.get(key);
      return own ? { ...own, language: modelLanguage } : { ...twinByKey.get(key)!, language: OFFLINE_WRITER_LANGUAGE };
    }),
    filled: missing.map(({ day, platform }) => ({ day, platform })),
  };
}
