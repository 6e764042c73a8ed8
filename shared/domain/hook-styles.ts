import type { Platform } from '../schemas/common';
import type { Finding } from '../schemas/findings';
import type { PostScore } from '../schemas/scores';
import { hookStyles, type HookStyle } from '../schemas/vocabulary';
import { claimedFindings, MIN_POSTS_PER_ARM } from './evidence';
import { hookOf, measure, platformRules } from './platform-rules';
import { normalDraw } from './random';

/**
 * Hook styles tested across a campaign's slots (`experiments.hookStyles`): the writer writes one
 * hook per style for every post, a balanced plan assigns each slot a style, and after each slot's
 * metrics the later slots nobody has touched are re-assigned by Thompson sampling on the posts'
 * baseline-relative scores (./scores.ts). Pure: the use case is shared/app/hook-experiment.ts.
 */

export { hookStyles, type HookStyle };

/** What each style means, for the writer's prompt, and the shape a hook of the style has (its first words). */
export const HOOK_STYLE_RULES: Record<HookStyle, { meaning: string; shape: RegExp }> = {
  question: { meaning: 'a question to the viewer, ending with "?"', shape: /\?\s*$/u },
  number: { meaning: 'opens with a figure written in digits (a count, minutes, an amount), no question', shape: /^\p{Sc}?\d/u },
  story: {
    meaning: 'opens a scene or a short story ("Picture this:", "Imagine", "A quick story:"), no question',
    shape: /^(?:picture|imagine|a quick story|story time|here is a story|once)\b/iu,
  },
  contrarian: {
    meaning: 'contradicts common advice ("Stop …", "Forget …", "You do not need …", "Most … advice is wrong"), no question',
    shape: /^(?:stop|forget|quit|skip|you do not need|you don['’]t need|most\b.{0,60}\b(?:advice|tips)\b.{0,40}\b(?:is|are)\b|nobody)/iu,
  },
};

/** Whether `hook` has the shape of `style`; a question mark makes every other style false. */
export function isStyleTrue(style: HookStyle, hook: string): boolean {
  const line = hook.trim();
  if (style !== 'question' && line.includes('?')) return false;
  return HOOK_STYLE_RULES[style].shape.test(line);
}

export type HookSet = Partial<Record<HookStyle, string>>;

export interface SlotRef {
  day: number;
  platform: Platform;
}
const slotKey = (slot: SlotRef) => `${slot.day}#${slot.platform}`;

/**
 * The initial plan: per platform, slots in day order take the styles in turn, each platform
 * starting one style further on, so every platform (whose posts share a baseline) and the whole
 * campaign see each style within one post of the others. Deterministic: same slots, same plan.
 */
export function initialStyles(slots: readonly SlotRef[], styles: readonly HookStyle[]): Map<string, HookStyle> {
  const plan = new Map<string, HookStyle>();
  const platforms = [...new Set(slots.map((slot) => slot.platform))].sort();
  platforms.forEach((platform, offset) => {
    slots
      .filter((slot) => slot.platform === platform)
      .sort((a, b) => a.day - b.day)
      .forEach((slot, index) => plan.set(slotKey(slot), styles[(index + offset) % styles.length]!));
  });
  return plan;
}

/** The prior on a style's mean score (baseline units: 0 is the creator's median post) and the spread of one post around it. */
export const PRIOR_MEAN = 0;
export const PRIOR_SD = 1;
export const SCORE_SD = 1;

export interface ArmPosterior<Arm extends string = string> {
  arm: Arm;
  posts: number;
  mean: number;
  sd: number;
}

/**
 * Normal posterior of each arm's mean score (a hook style, or a re-plan's pillar, format or hour
 * band: ./replan.ts) from its scored posts (conjugate, known spread SCORE_SD).
 */
export function armPosteriors<Arm extends string>(
  observations: readonly { arm: Arm; z: number }[],
  arms: readonly Arm[],
): ArmPosterior<Arm>[] {
  return arms.map((arm) => {
    const scores = observations.filter((observation) => observation.arm === arm).map((observation) => observation.z);
    const precision = 1 / PRIOR_SD ** 2 + scores.length / SCORE_SD ** 2;
    const mean = (PRIOR_MEAN / PRIOR_SD ** 2 + scores.reduce((a, b) => a + b, 0) / SCORE_SD ** 2) / precision;
    return { arm, posts: scores.length, mean, sd: Math.sqrt(1 / precision) };
  });
}

/** What decides whether a slot may still be changed, by the style experiment or a re-plan (./replan.ts). */
export interface SlotLock {
  dueAt: string;
  /** Posted, skipped, due or being published: the slot is out of Crescendo's hands. */
  posted: boolean;
  approved: boolean;
  /** The creator changed its text (for the experiment: or it no longer opens with its style's hook). */
  edited: boolean;
}

/** A stored post's lock: any post status (posted, skipped, publishing), an approval, a creator's revision. */
export const slotLockOf = (item: {
  dueAt: string;
  postStatus?: unknown;
  approval: { state: string };
  revisions: readonly unknown[];
}): SlotLock => ({
  dueAt: item.dueAt,
  posted: item.postStatus !== undefined,
  approved: item.approval.state === 'approved',
  edited: item.revisions.length > 0,
});

export interface ExperimentSlot extends SlotRef, SlotLock {
  style: HookStyle;
  /** Its baseline-relative score, once scored. */
  z?: number;
}

export interface StyleChange extends SlotRef {
  from: HookStyle;
  to: HookStyle;
  why: string;
}

/** A slot the experiment or a re-plan may still change: later than now, not posted, approved or edited. */
export const isOpen = (slot: SlotLock, now: string) => !slot.posted && !slot.approved && !slot.edited && slot.dueAt > now;

const two = (value: number) => value.toFixed(2);

/**
 * Thompson sampling: for each open slot, one draw from every style's posterior; the slot takes the
 * style with the highest draw. Returns the slots whose style changes, each with why. Nothing
 * changes before a first scored post (the balanced plan stands), and a slot that is not open is
 * never in the result.
 */
export function reassignStyles(
  slots: readonly ExperimentSlot[],
  styles: readonly HookStyle[],
  now: string,
  random: () => number,
): StyleChange[] {
  const observations = slots.flatMap((slot) => (slot.z !== undefined ? [{ arm: slot.style, z: slot.z }] : []));
  if (observations.length === 0) return [];
  const posteriors = armPosteriors(observations, styles);
  const summary = posteriors.map((p) => `${p.arm} ${two(p.mean)} ± ${two(p.sd)} (${p.posts} scored)`).join(', ');
  const changes: StyleChange[] = [];
  for (const slot of [...slots].sort((a, b) => a.dueAt.localeCompare(b.dueAt) || slotKey(a).localeCompare(slotKey(b)))) {
    if (!isOpen(slot, now)) continue;
    const draws = posteriors.map((p) => ({ style: p.arm, draw: p.mean + p.sd * normalDraw(random) }));
    const best = draws.reduce((a, b) => (b.draw > a.draw ? b : a));
    if (best.style === slot.style) continue;
    const drawn = draws.map((d) => `${d.style} ${two(d.draw)}`).join(', ');
    changes.push({
      day: slot.day,
      platform: slot.platform,
      from: slot.style,
      to: best.style,
      why: `Thompson sampling on ${observations.length} scored posts: posterior means ${summary}; this slot drew ${drawn}`,
    });
  }
  return changes;
}

/**
 * The post's text with `to` as its opening instead of `from` (the script's hook and the post's
 * first occurrence of it), or undefined when the post does not open with `from` any more or the
 * new opening would break the platform's hard length limit.
 */
export function withHook<T extends { platform: Platform; post?: string; script?: { hook: string; body: string; cta: string } }>(
  content: T,
  from: string,
  to: string,
): Pick<T, 'post' | 'script'> | undefined {
  if (!from || hookOf(content) !== from || !content.post?.includes(from)) return undefined;
  const post = content.post.replace(from, () => to);
  const fits = platformRules[content.platform].post
    .filter((limit) => limit.kind === 'hard')
    .every((limit) => measure(post, limit.unit) <= limit.max);
  if (!fits) return undefined;
  return { post, ...(content.script && { script: { ...content.script, hook: to } }) } as Pick<T, 'post' | 'script'>;
}

export interface HookStyleArm {
  style: HookStyle;
  /** Slots planned with the style now (after every re-assignment). */
  slots: number;
  /** Of them, posts with a baseline-relative score. */
  scored: number;
  meanScore?: number;
}

export interface HookStyleExperiment {
  styles: HookStyle[];
  arms: HookStyleArm[];
  reassignments: number;
  winner?: { style: HookStyle; evidence: Omit<Finding, 'postIds'> };
  verdict: string;
}

/**
 * The report's experiment section: the winning style with the evidence of its comparison
 * (./evidence.ts: n per arm, effect, interval, confidence), or "No winner yet" and why. A style
 * wins only where a comparison claims an effect (strong or suggestive) at the campaign's
 * family-wise level: above the rest, or, with two styles, the other one scoring below it.
 */
export function hookStyleExperiment(
  styles: readonly HookStyle[],
  posts: readonly (SlotRef & { hookStyle?: HookStyle; styleChanges?: readonly unknown[] })[],
  scores: ReadonlyMap<string, PostScore>,
  findings: readonly Finding[],
): HookStyleExperiment {
  const arms = styles.map((style) => {
    const mine = posts.filter((post) => post.hookStyle === style);
    const values = mine.flatMap((post) => {
      const score = scores.get(slotKey(post));
      return score?.status === 'scored' ? [score.z] : [];
    });
    return {
      style,
      slots: mine.length,
      scored: values.length,
      ...(values.length > 0 && { meanScore: Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 100) / 100 }),
    };
  });
  const reassignments = posts.reduce((sum, post) => sum + (post.styleChanges?.length ?? 0), 0);
  const tested = findings.filter((finding) => finding.dimension === 'hookStyle' && (styles as readonly string[]).includes(finding.arm));
  const winning = claimedFindings(tested)
    .map((finding) => ({ finding, style: (finding.effect! > 0 ? finding.arm : finding.versus) as HookStyle }))
    .find(({ style }) => (styles as readonly string[]).includes(style));
  const base = { styles: [...styles], arms, reassignments };
  if (winning) {
    const { postIds: _ids, ...evidence } = winning.finding;
    return { ...base, winner: { style: winning.style, evidence }, verdict: `${capitalized(winning.style)} hooks won: ${evidence.claim}` };
  }
  const compared = tested.find((finding) => finding.confidence === 'no claim');
  const counts = arms.map((arm) => `${arm.style} ${arm.scored}`).join(', ');
  return {
    ...base,
    verdict: compared
      ? `No winner yet: ${lowerFirstLetter(compared.claim)}`
      : `No winner yet: not enough scored posts per style (${counts}; ${MIN_POSTS_PER_ARM} a side needed).`,
  };
}

const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
const lowerFirstLetter = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);
