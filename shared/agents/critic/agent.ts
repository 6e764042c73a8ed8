import type { AgentSpec } from '../../ai/types';
import { contentChecks, type ContentContext, type OtherPost } from '../../domain/content-checks';
import { hardChecks, type CampaignPostRef } from '../../domain/platform-rules';
import type { WriterGoal } from '../writer/schema';
import { clamp, measurePost, reviewOffline, round1 } from './offline';
import { CRITIC_SYSTEM, criticPrompt } from './prompt';
import { type CriticPost, type CriticInput, criticOutputSchema, type CriticReview, type CriticOutput, type Critique } from './schema';

/**
 * The critic: a model judges each drafted post (hook strength, clarity, fit to strategy and goal),
 * and `critique` combines that judgment with the hard checks computed in code, so the score and
 * reasons stored and shown to the creator carry both. The offline twin scores from measurable
 * qualities only.
 */

/** What the content checks judge a post against, beyond its batch. */
export interface CampaignFacts {
  niche?: string;
  durationDays?: number;
  /** How long the creator says they have been at it, in days. */
  historyDays?: number;
  /** Posts of the creator's earlier campaigns: their titles, hooks and sentences are not reused. */
  earlierCampaigns?: readonly OtherPost[];
}

/** One hard violation caps the score at 4; each further one lowers the cap by 1. */
export const HARD_VIOLATION_CAP = 4;
/** A soft violation (the blog's SEO title length) takes 1 point off. */
export const SOFT_VIOLATION_PENALTY = 1;
const MAX_REASONS = 10;

export const criticAgent: AgentSpec<CriticInput, CriticOutput> = {
  name: 'critic',
  schema: criticOutputSchema,
  system: CRITIC_SYSTEM,
  prompt: criticPrompt,
  offline: reviewOffline,
  // It scores against a fixed rubric, next to checks computed in code: no thinking.
  thinkingBudget: 0,
};

// ---------------------------------------------------------------------------------------------
// Combining the model's judgment with the hard checks

/**
 * The critique stored and shown to the creator, one per post in `posts` order. Starts from the
 * model's review of the post (a post it did not review is measured instead, when `goal` is given,
 * else starts at 5); hard violations from `hardChecks` (against the batch and `campaignPosts`, for
 * duplicates across days) cap the score at HARD_VIOLATION_CAP, one point lower for each further
 * violation; soft ones take SOFT_VIOLATION_PENALTY off. The content checks (content-checks.ts: counts
 * delivered, claims within the campaign, no repeats, tags, the goal's CTA) count as hard ones.
 * Violation messages come first in the reasons.
 */
export function critique(
  reviewsFromModel: readonly CriticReview[],
  posts: readonly CriticPost[],
  campaignPosts: readonly CampaignPostRef[],
  goal?: WriterGoal,
  campaign: CampaignFacts = {},
): Critique[] {
  const reviews = new Map<string, CriticReview>();
  for (const review of reviewsFromModel)
    if (!reviews.has(`${review.day}|${review.platform}`)) reviews.set(`${review.day}|${review.platform}`, review);
  const others: CampaignPostRef[] = [...campaignPosts, ...posts];
  const compared: OtherPost[] = [...others, ...(campaign.earlierCampaigns ?? []).map((post) => ({ ...post, earlier: true }))];
  const context: ContentContext = { ...campaign, ...(goal && { goal: goal.type }) };

  return posts.map((post) => {
    const review =
      reviews.get(`${post.day}|${post.platform}`) ??
      (goal
        ? { ...measurePost(post, goal), day: post.day, platform: post.platform }
        : { day: post.day, platform: post.platform, score: 5, reasons: ['The critic did not review this post.'] });
    const violations = [
      ...hardChecks(post, post.platform, others),
      ...contentChecks(
        post,
        post.platform,
        context,
        compared.filter((other) => other !== post),
      ),
    ];
    const hard = violations.filter((violation) => violation.severity === 'hard').length;
    const soft = violations.length - hard;
    let score = clamp(Number.isFinite(review.score) ? review.score : 0);
    if (hard > 0) score = Math.min(score, Math.max(0, HARD_VIOLATION_CAP - (hard - 1)));
    score = clamp(score - soft * SOFT_VIOLATION_PENALTY);
    const reasons = [
      ...new Set([...violations.map((violation) => violation.message), ...review.reasons.map((reason) => reason.trim()).filter(Boolean)]),
    ];
    return { day: post.day, platform: post.platform, score: round1(score), reasons: reasons.slice(0, MAX_REASONS), violations };
  });
}
