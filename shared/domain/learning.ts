import type { PostExecution } from '../schemas/execution';
import type { Finding } from '../schemas/findings';
import type { PostScore } from '../schemas/scores';
import { campaignFindings, hookStyleOf, hourBandOf, type ScoredPost } from './evidence';
import { localDateTime } from './schedule';
import { postScores } from './scores';

/**
 * A campaign's posts scored against the creator's baseline and compared arm against arm: the
 * glue between the stored posts and the pure statistics (./scores.ts, ./evidence.ts). The
 * baseline is the campaign's own earlier posts of the platform.
 */

export interface LearningPost {
  day: number;
  platform: PostExecution['platform'];
  format?: string;
  pillar?: string;
  script?: { hook?: string };
  post?: string;
  /** The style the slot tests (experiments.hookStyles); else the style is read from the opening. */
  hookStyle?: string;
}

export const postKey = (post: { day: number; platform: string }) => `${post.day}#${post.platform}`;

/** The scores of the posted posts with metrics, by `<day>#<platform>`. */
export function executionScores(executions: readonly PostExecution[]): Map<string, PostScore> {
  return postScores(
    executions.flatMap((execution) =>
      execution.posted && execution.metrics && execution.postedAt
        ? [{ id: postKey(execution), platform: execution.platform, postedAt: execution.postedAt, metrics: execution.metrics }]
        : [],
    ),
  );
}

/** Scores and findings of a campaign; `now` dates the findings, the campaign id seeds their bootstrap. */
export function campaignLearning(input: {
  campaignId: string;
  timeZone: string;
  posts: readonly LearningPost[];
  executions: readonly PostExecution[];
  now: string;
}): { scores: Map<string, PostScore>; findings: Finding[] } {
  const scores = executionScores(input.executions);
  const postedAt = new Map(input.executions.map((execution) => [postKey(execution), execution.postedAt]));
  const scored: ScoredPost[] = input.posts.flatMap((post) => {
    const score = scores.get(postKey(post));
    const at = postedAt.get(postKey(post));
    if (score?.status !== 'scored' || !at) return [];
    const local = localDateTime(at, input.timeZone);
    const hookStyle = post.hookStyle ?? hookStyleOf(post.script?.hook ?? post.post);
    return [
      {
        id: postKey(post),
        z: score.z,
        arms: {
          hourBand: hourBandOf(Number(local.time.slice(0, 2))),
          weekday: String(local.weekday),
          ...(post.format !== undefined && { format: post.format }),
          ...(post.pillar !== undefined && { pillar: post.pillar }),
          ...(hookStyle !== undefined && { hookStyle }),
        },
      },
    ];
  });
  return { scores, findings: campaignFindings(scored, { now: input.now, seed: input.campaignId }) };
}
