import type { Platform } from '../schemas/common';
import type { ScoredPost } from './evidence';
import { armPosteriors, isOpen, slotLockOf, type ArmPosterior } from './hook-styles';
import { localDateTime } from './schedule';
import { normalDraw, seededRandom } from './random';

/**
 * The re-plan rule: which arms the campaign's remaining open slots move to, from what has
 * performed. Per unlocked slot and dimension, Thompson sampling on a Normal posterior of each
 * arm's mean baseline-relative score (./scores.ts; the conjugate update is hook-styles.ts's, prior
 * N(0, 1) so an arm without evidence stays in play): one draw per arm, and the slot moves where
 * the best draw is not its current arm. A dimension with no scored post among its arms moves
 * nothing (no evidence, no re-plan). Each slot draws from its own seed (seed + slot id + dimension),
 * so a slot's outcome does not depend on which other slots are open. The product's planner stage
 * (shared/workflow/stages/replan-planner.ts) calls it per platform, since formats differ by
 * platform; the simulator (test/support/) calls it as it is. Pure: no I/O, seeded randomness.
 */

/** The arms a re-plan may move (hook style has its own re-assignment, ./hook-styles.ts). */
export const REPLAN_DIMENSIONS = ['pillar', 'format', 'hourBand'] as const;
export type ReplanDimension = (typeof REPLAN_DIMENSIONS)[number];
export type SlotArms = Record<ReplanDimension, string>;

/**
 * Whether a re-plan may rewrite a post: open for the style experiment too (not posted, skipped,
 * due or past, approved or edited) and dated after the creator's today, whose posts are imminent.
 * The one rule of both the estimate and the re-plan's planner.
 */
export const isReplannable = (item: Parameters<typeof slotLockOf>[0] & { date: string }, now: string, timeZone = 'UTC'): boolean =>
  isOpen(slotLockOf(item), now) && item.date > localDateTime(now, timeZone).date;

/** A post as re-plan `n` left it: marked (`replan`), what it recorded of the post before (`before`), and its text now. */
export interface MarkedPost {
  replan?: number;
  before?: { title?: string; hook?: string };
  title?: string;
  hook?: string;
}

/**
 * Whether re-plan `n` marked the post and its writer never rewrote it: the title and hook are still
 * the ones recorded before. A failed re-plan gives such a post back its slot as it was, since its
 * new pillar, format and time would not match its old text.
 */
export const unwrittenByReplan = (post: MarkedPost, n: number): boolean =>
  post.replan === n &&
  post.before !== undefined &&
  (post.title ?? '') === (post.before.title ?? '') &&
  (post.hook ?? '') === (post.before.hook ?? '');

export interface ReplanSlot {
  id: string;
  platform: Platform;
  arms: SlotArms;
  /** Posted, skipped, due or past, approved or creator-edited: never changed. */
  locked: boolean;
}

export interface SlotChange {
  id: string;
  before: SlotArms;
  after: SlotArms;
  /** One sentence naming the evidence: per moved dimension, the new arm's scored posts and mean against the one it replaces. */
  why: string;
}

const DIMENSION_NAMES: Record<ReplanDimension, string> = { pillar: 'pillar', format: 'format', hourBand: 'hour band' };

const signed = (value: number) => `${value >= 0 ? '+' : '−'}${Math.abs(value).toFixed(2)}`;
const evidence = (posterior: ArmPosterior) =>
  posterior.posts === 0
    ? `"${posterior.arm}" (no scored posts yet)`
    : `"${posterior.arm}" (${posterior.posts} scored post${posterior.posts === 1 ? '' : 's'}, posterior mean ${signed(posterior.mean)})`;

/**
 * The slots whose arms change, each with before, after and why; never a locked slot. The current
 * arm of a slot always competes (even when no longer a candidate), so a slot keeps it unless
 * another arm draws higher; a changed arm is always one of the candidates.
 */
export function proposeReplan(
  slots: readonly ReplanSlot[],
  scored: readonly ScoredPost[],
  options: { seed: string; candidates: Partial<Record<ReplanDimension, readonly string[]>> },
): SlotChange[] {
  const dimensions = REPLAN_DIMENSIONS.flatMap((dimension) => {
    const candidates = [...new Set(options.candidates[dimension] ?? [])].sort();
    const observations = scored.flatMap((post) => {
      const arm = post.arms[dimension];
      return arm === undefined ? [] : [{ arm, z: post.z }];
    });
    const hasEvidence = observations.some((observation) => candidates.includes(observation.arm));
    return hasEvidence ? [{ dimension, candidates, observations }] : [];
  });
  const changes: SlotChange[] = [];
  for (const slot of [...slots].sort((a, b) => a.id.localeCompare(b.id))) {
    if (slot.locked) continue;
    const after: SlotArms = { ...slot.arms };
    const reasons: string[] = [];
    for (const { dimension, candidates, observations } of dimensions) {
      const current = slot.arms[dimension];
      const posteriors = armPosteriors(observations, candidates.includes(current) ? candidates : [current, ...candidates]);
      const random = seededRandom(`${options.seed}#${slot.id}#${dimension}`);
      const best = posteriors
        .map((posterior) => ({ posterior, draw: posterior.mean + posterior.sd * normalDraw(random) }))
        .reduce((a, b) => (b.draw > a.draw ? b : a)).posterior;
      if (best.arm === current) continue;
      after[dimension] = best.arm;
      const replaced = posteriors.find((posterior) => posterior.arm === current)!;
      reasons.push(`${DIMENSION_NAMES[dimension]} ${evidence(best)} replaces ${evidence(replaced)}`);
    }
    if (reasons.length === 0) continue;
    changes.push({
      id: slot.id,
      before: { ...slot.arms },
      after,
      why: `Re-planned on ${scored.length} scored posts: ${reasons.join('; ')}.`,
    });
  }
  return changes;
}
