import type { ScoredPost } from '../../shared/domain/evidence';
import { initialStyles, reassignStyles, type ExperimentSlot, type HookStyle } from '../../shared/domain/hook-styles';
import { campaignPacing } from '../../shared/domain/pacing';
import { normalDraw, seededRandom } from '../../shared/domain/random';
import { proposeReplan, REPLAN_DIMENSIONS, type ReplanDimension, type SlotArms } from '../../shared/domain/replan';
import { addDays } from '../../shared/domain/schedule';
import { median } from '../../shared/domain/scores';
import type { Platform } from '../../shared/schemas/common';
import type { PacingStatus } from '../../shared/schemas/vocabulary';
import { balancedDeck, PLANTED_DOWN, PLANTED_UP, SIGMA } from './learning-sim';
import { scoresOf } from './pacing-sim';

/**
 * Issue 18 point 5: does adapting a campaign pay? Each simulated creator (./learning-sim.ts's:
 * engagement log-normal, σ = 0.9, around a level drawn per creator; views = 20 × engagement) runs
 * the same campaign twice, paired: once on the balanced plan as written (every arm in equal
 * shares, hook styles from initialStyles), once adapting through the production rules: each day's
 * pacing (shared/domain/pacing.ts) on a views goal, a re-plan (shared/domain/replan.ts) of the
 * slots not yet posted when the status turns `behind` and at the end of each week, and the hook
 * styles of the later slots re-assigned after each day's metrics (shared/domain/hook-styles.ts).
 * The goal is the final value: total views over the campaign.
 *
 * Common random numbers: a post's log-noise is a slot part (the day's audience, drawn once per
 * slot) plus a content part keyed by the slot and its arms, half the variance each. Both arms of
 * the comparison see the same draw for a slot they post alike, and a fresh content draw where the
 * adaptive arm changed what the slot posts: with nothing planted the arms' finals differ only by
 * that draw, so the no-effect control measures the noise the adaptation adds, not exactly 0.
 * Used by `npm run bench -- learning` (200 creators) and test/unit/adaptive-sim.test.ts (CI size).
 */

export type PlantedDimension = ReplanDimension | 'hookStyle' | 'platform';

export interface AdaptiveDesign {
  platforms: readonly Platform[];
  /** One post a day per platform. */
  days: number;
  /** The arms a re-plan may move; the balanced plan gives each its equal share of every platform's days. */
  arms: Record<ReplanDimension, readonly string[]>;
  /** The styles the campaign tests (`experiments.hookStyles`). */
  hookStyles: readonly HookStyle[];
  /** Multipliers of engagement on arms; every other arm has none. */
  planted: Partial<Record<PlantedDimension, Record<string, number>>>;
}

const effect = (design: AdaptiveDesign, dimension: PlantedDimension, arm: string) => design.planted[dimension]?.[arm] ?? 1;
const meanEffect = (design: AdaptiveDesign, dimension: PlantedDimension, arms: readonly string[]) =>
  arms.reduce((sum, arm) => sum + effect(design, dimension, arm), 0) / arms.length;

/**
 * 30 days × 3 platforms, effects planted on one arm of each dimension the mechanisms move (pillar,
 * format, hour band, hook style) and on a platform, which nothing moves (a distractor: every
 * platform keeps its posts, and its baseline absorbs its level).
 */
export const adaptiveDesign = (up: number, down: number): AdaptiveDesign => ({
  platforms: ['youtube', 'instagram', 'tiktok'],
  days: 30,
  arms: {
    pillar: ['Tips', 'Stories', 'Behind the scenes', 'Reviews'],
    format: ['short', 'carousel', 'long'],
    hourBand: ['morning', 'afternoon', 'evening'],
  },
  hookStyles: ['question', 'number', 'story'],
  planted:
    up === 1 && down === 1
      ? {}
      : {
          pillar: { Tips: up },
          format: { carousel: down },
          hourBand: { evening: up },
          hookStyle: { question: down },
          platform: { tiktok: up },
        },
});
export const issueDesign = adaptiveDesign(PLANTED_UP, PLANTED_DOWN);
export const strongDesign = adaptiveDesign(2, 0.5);
export const noEffectDesign = adaptiveDesign(1, 1);

/** The lift of a campaign that put every post on the best arms `mechanisms` move from its first day: the ceiling no learning reaches. */
export function ceilingLift(design: AdaptiveDesign, mechanisms: Mechanisms): number {
  const gain = (dimension: PlantedDimension, arms: readonly string[]) =>
    Math.max(...arms.map((arm) => effect(design, dimension, arm))) / meanEffect(design, dimension, arms);
  const replanned = replanning(mechanisms) ? REPLAN_DIMENSIONS.map((dimension) => gain(dimension, design.arms[dimension])) : [];
  const styled = mechanisms.styles ? [gain('hookStyle', design.hookStyles)] : [];
  return [...replanned, ...styled].reduce((product, factor) => product * factor, 1) - 1;
}

/** The goal's target: this much above the final the balanced plan is expected to reach, so some campaigns fall behind. */
export const STRETCH = 1.2;
/** Days at whose end the adaptive creator asks for a re-plan whatever the pacing says (weekly). */
export const CHECKPOINTS = [7, 14, 21];
const START = '2026-01-05';

export interface Mechanisms {
  /** Pacing each day, and a re-plan when it turns `behind`. */
  replanWhenBehind: boolean;
  /** Days at whose end a re-plan runs whatever the pacing says. */
  replanOn: readonly number[];
  /** Hook styles of the later slots re-assigned after each day's metrics. */
  styles: boolean;
}
export const ADAPTIVE: Mechanisms = { replanWhenBehind: true, replanOn: CHECKPOINTS, styles: true };
const BALANCED: Mechanisms = { replanWhenBehind: false, replanOn: [], styles: false };
const replanning = (mechanisms: Mechanisms) => mechanisms.replanWhenBehind || mechanisms.replanOn.length > 0;

interface Slot {
  id: string;
  day: number;
  platform: Platform;
  arms: SlotArms;
  hookStyle: HookStyle;
}

interface Creator {
  seed: string;
  level: number;
  /** The balanced plan, in day order. */
  plan: readonly Slot[];
  /** Each slot's share of the log-noise that does not depend on what it posts. */
  slotNoise: ReadonlyMap<string, number>;
  target: number;
}

const NOISE_SD = SIGMA / Math.SQRT2;

function simulatedCreator(design: AdaptiveDesign, seed: string): Creator {
  const random = seededRandom(`adaptive-creator|${seed}`);
  const level = 50 + random() * 950;
  const refs = design.platforms.flatMap((platform) => Array.from({ length: design.days }, (_, i) => ({ day: i + 1, platform })));
  const styles = initialStyles(refs, design.hookStyles);
  const decks = new Map(
    design.platforms.map((platform) => [
      platform,
      REPLAN_DIMENSIONS.map((dimension) => [dimension, balancedDeck(design.arms[dimension], design.days, random)] as const),
    ]),
  );
  const plan = refs
    .map(({ day, platform }) => {
      const id = `${day}#${platform}`;
      const arms = Object.fromEntries(decks.get(platform)!.map(([dimension, deck]) => [dimension, deck[day - 1]!])) as SlotArms;
      return { id, day, platform, arms, hookStyle: styles.get(id)! };
    })
    .sort((a, b) => a.day - b.day || a.platform.localeCompare(b.platform));
  const slotNoise = new Map(plan.map((slot) => [slot.id, normalDraw(random)]));
  // E[views] of the balanced plan: 20 × level × E[e^{σZ}] × the mean multiplier of each dimension's equal shares.
  const perPost =
    20 *
    level *
    Math.exp(SIGMA ** 2 / 2) *
    REPLAN_DIMENSIONS.reduce((product, dimension) => product * meanEffect(design, dimension, design.arms[dimension]), 1) *
    meanEffect(design, 'hookStyle', design.hookStyles);
  const platforms = design.platforms.reduce((sum, platform) => sum + effect(design, 'platform', platform), 0);
  return { seed, level, plan, slotNoise, target: Math.round(STRETCH * perPost * platforms * design.days) };
}

/** The slot's engagement as posted: its planted multipliers, its slot noise and the noise of what it posts. */
function engagementOf(design: AdaptiveDesign, creator: Creator, slot: Slot): number {
  const content = seededRandom(
    `${creator.seed}|${slot.id}|${slot.arms.pillar}|${slot.arms.format}|${slot.arms.hourBand}|${slot.hookStyle}`,
  );
  let logEffect = Math.log(effect(design, 'platform', slot.platform)) + Math.log(effect(design, 'hookStyle', slot.hookStyle));
  for (const dimension of REPLAN_DIMENSIONS) logEffect += Math.log(effect(design, dimension, slot.arms[dimension]));
  return Math.round(creator.level * Math.exp(logEffect + NOISE_SD * (creator.slotNoise.get(slot.id)! + normalDraw(content))));
}

export interface ReplanRun {
  /** The day at whose end it ran (the slots of that day and before are posted). */
  day: number;
  trigger: 'behind' | 'checkpoint';
  /** The days of the slots it changed. */
  changedDays: number[];
}

export interface CampaignRun {
  /** Total views at the end of the campaign. */
  final: number;
  replans: ReplanRun[];
  /** Per day that re-assigned hook styles, the days of the slots it changed. */
  styleChanges: { day: number; changedDays: number[] }[];
}

/** One campaign of `creator`: the balanced plan as written, or adapting through `mechanisms`. */
function runCampaign(design: AdaptiveDesign, creator: Creator, mechanisms: Mechanisms): CampaignRun {
  const plan = creator.plan.map((slot) => ({ ...slot, arms: { ...slot.arms } }));
  const byId = new Map(plan.map((slot) => [slot.id, slot]));
  const likes = new Map<string, number>();
  const replans: ReplanRun[] = [];
  const styleChanges: CampaignRun['styleChanges'] = [];
  const styleRandom = seededRandom(`${creator.seed}|styles`);
  let status: PacingStatus | undefined;
  for (let day = 1; day <= design.days; day++) {
    for (const slot of plan) if (slot.day === day) likes.set(slot.id, engagementOf(design, creator, slot));
    if (day === design.days || (!replanning(mechanisms) && !mechanisms.styles)) continue;
    const posts = plan.map((slot) => ({
      ...slot,
      posted: likes.has(slot.id),
      likes: likes.get(slot.id) ?? 0,
      views: 20 * (likes.get(slot.id) ?? 0),
    }));
    const scores = scoresOf(posts);
    if (mechanisms.styles) {
      const now = `${addDays(START, day - 1)}T23:59:59.000Z`;
      const slots: ExperimentSlot[] = posts.map((post) => ({
        day: post.day,
        platform: post.platform,
        dueAt: `${addDays(START, post.day - 1)}T12:00:00.000Z`,
        style: post.hookStyle,
        posted: post.posted,
        approved: false,
        edited: false,
        ...(scores.has(post.id) && { z: scores.get(post.id)! }),
      }));
      const changes = reassignStyles(slots, design.hookStyles, now, styleRandom);
      for (const change of changes) byId.get(`${change.day}#${change.platform}`)!.hookStyle = change.to;
      if (changes.length > 0) styleChanges.push({ day, changedDays: changes.map((change) => change.day) });
    }
    if (replanning(mechanisms)) {
      const previous = status;
      status = campaignPacing({
        goal: { type: 'views', metric: 'views', target: creator.target },
        startDate: START,
        durationDays: design.days,
        today: addDays(START, day - 1),
        platforms: design.platforms,
        executions: posts.map((post) => ({ day: post.day, posted: post.posted, metrics: { views: post.views } })),
      }).status;
      const turnedBehind = mechanisms.replanWhenBehind && status === 'behind' && previous !== 'behind';
      const trigger = turnedBehind ? 'behind' : mechanisms.replanOn.includes(day) ? 'checkpoint' : undefined;
      if (trigger) {
        const scored: ScoredPost[] = posts.flatMap((post) =>
          scores.has(post.id) ? [{ id: post.id, z: scores.get(post.id)!, arms: { ...post.arms, hookStyle: post.hookStyle } }] : [],
        );
        const changes = proposeReplan(
          posts.map((post) => ({ id: post.id, platform: post.platform, arms: post.arms, locked: post.posted })),
          scored,
          { seed: `${creator.seed}|replan|${day}`, candidates: design.arms },
        );
        for (const change of changes) byId.get(change.id)!.arms = { ...change.after };
        replans.push({ day, trigger, changedDays: changes.map((change) => byId.get(change.id)!.day) });
      }
    }
  }
  return { final: 20 * [...likes.values()].reduce((a, b) => a + b, 0), replans, styleChanges };
}

export interface PairedCreator {
  balanced: CampaignRun;
  adaptive: CampaignRun;
  /** adaptive final ÷ balanced final − 1. */
  lift: number;
}

export const pairedCampaigns = (design: AdaptiveDesign, seed: string, mechanisms = ADAPTIVE): PairedCreator => {
  const creator = simulatedCreator(design, seed);
  const balanced = runCampaign(design, creator, BALANCED);
  const adaptive = runCampaign(design, creator, mechanisms);
  return { balanced, adaptive, lift: adaptive.final / balanced.final - 1 };
};

export interface Estimate {
  value: number;
  low: number;
  high: number;
}

export interface LiftSummary {
  creators: number;
  /** Of the lift over creators, with a 95 % paired bootstrap interval (creators resampled, both arms together). */
  median: Estimate;
  mean: Estimate;
  /** Share of creators whose adaptive final beat their balanced one. */
  improved: number;
  /** Per creator, on average: re-plans fired by `behind` and at checkpoints, slots they changed, hook styles re-assigned. */
  perCreator: { behindReplans: number; checkpointReplans: number; replannedSlots: number; restyledSlots: number };
}

export const BOOTSTRAP_RESAMPLES = 2000;
const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const medianOf = (values: readonly number[]) => median([...values].sort((a, b) => a - b));

/** The statistic over `values` with its 95 % percentile interval, creators resampled with replacement (seeded). */
export function pairedBootstrap(values: readonly number[], statistic: (sample: readonly number[]) => number, seed: string): Estimate {
  const random = seededRandom(`lift-bootstrap|${seed}`);
  const resampled = Array.from({ length: BOOTSTRAP_RESAMPLES }, () =>
    statistic(Array.from(values, () => values[Math.floor(random() * values.length)]!)),
  ).sort((a, b) => a - b);
  const at = (q: number) => resampled[Math.min(resampled.length - 1, Math.floor(q * resampled.length))]!;
  return { value: statistic(values), low: at(0.025), high: at(0.975) };
}

export function simulateLift(design: AdaptiveDesign, creators: number, seed: string, mechanisms = ADAPTIVE): LiftSummary {
  const runs = Array.from({ length: creators }, (_, i) => pairedCampaigns(design, `${seed}|${i}`, mechanisms));
  const lifts = runs.map((run) => run.lift);
  const average = (count: (run: PairedCreator) => number) => mean(runs.map(count));
  return {
    creators,
    median: pairedBootstrap(lifts, medianOf, `${seed}|median`),
    mean: pairedBootstrap(lifts, mean, `${seed}|mean`),
    improved: lifts.filter((lift) => lift > 0).length / creators,
    perCreator: {
      behindReplans: average((run) => run.adaptive.replans.filter((replan) => replan.trigger === 'behind').length),
      checkpointReplans: average((run) => run.adaptive.replans.filter((replan) => replan.trigger === 'checkpoint').length),
      replannedSlots: average((run) => run.adaptive.replans.reduce((sum, replan) => sum + replan.changedDays.length, 0)),
      restyledSlots: average((run) => run.adaptive.styleChanges.reduce((sum, change) => sum + change.changedDays.length, 0)),
    },
  };
}
