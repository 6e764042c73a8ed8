import { campaignFindings, claimedFindings, type ScoredPost } from '../../shared/domain/evidence';
import { normalDraw, seededRandom } from '../../shared/domain/random';
import { MIN_BASELINE_POSTS, postScores, type ScoreInput } from '../../shared/domain/scores';
import type { Platform } from '../../shared/schemas/common';
import type { Finding, FindingDimension } from '../../shared/schemas/findings';

/**
 * The simulator whose truth is known: synthetic creators whose engagement is log-normal (σ = 0.9
 * around the creator's level), with planted effects (×1.3, ×0.7) on chosen arms and none on the
 * others, run through the production scoring (shared/domain/scores.ts) and findings
 * (shared/domain/evidence.ts). Used by test/unit/learning-simulator.test.ts (CI size) and
 * `npm run bench -- learning` (200 campaigns).
 */

export const SIGMA = 0.9;
export const PLANTED_UP = 1.3;
export const PLANTED_DOWN = 0.7;

export interface SimulatedDesign {
  platforms: readonly Platform[];
  /** Posts with metrics per platform, in posting order (the first 5 have no baseline yet). */
  postsPerPlatform: number;
  /** The arms of each dimension; every post draws one arm per dimension uniformly. */
  arms: Partial<Record<FindingDimension, readonly string[]>>;
  /** Multipliers of engagement planted on arms; every other arm has none. */
  planted: Partial<Record<FindingDimension, Record<string, number>>>;
}

export interface SimulatedCampaign {
  findings: Finding[];
  claims: Finding[];
  /** Claims where the arms compared carry no planted difference, or with the wrong sign. */
  falseClaims: Finding[];
  /** Planted arms with ≥ minArm posts on both sides, and whether a claim in the right direction found each. */
  planted: { dimension: FindingDimension; arm: string; multiplier: number; nArm: number; nRest: number; detected: boolean }[];
}

const effectOf = (design: SimulatedDesign, dimension: FindingDimension, arm: string) => design.planted[dimension]?.[arm] ?? 1;

/** `length` arms taking `values` in turn (equal shares, within one), in a random order (Fisher–Yates). */
export function balancedDeck<T>(values: readonly T[], length: number, random: () => number): T[] {
  const deck = Array.from({ length }, (_, i) => values[i % values.length]!);
  for (let i = deck.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [deck[i], deck[j]] = [deck[j]!, deck[i]!];
  }
  return deck;
}

export function simulateCampaign(design: SimulatedDesign, seed: string): SimulatedCampaign {
  const random = seededRandom(`simulated-creator|${seed}`);
  const level = 50 + random() * 950;
  const start = Date.parse('2026-01-01T00:00:00Z');
  const inputs: ScoreInput[] = [];
  const armsOf = new Map<string, ScoredPost['arms']>();
  for (const platform of design.platforms) {
    // Balanced arms: the posts after the first MIN_BASELINE_POSTS (which get no score) carry each
    // dimension's arms in equal shares, in a random order.
    const assignments = (Object.entries(design.arms) as [FindingDimension, readonly string[]][]).map(([dimension, values]) => {
      const scored = balancedDeck(values, design.postsPerPlatform - MIN_BASELINE_POSTS, random);
      const warmUp = Array.from({ length: MIN_BASELINE_POSTS }, () => values[Math.floor(random() * values.length)]!);
      return [dimension, [...warmUp, ...scored]] as const;
    });
    for (let i = 0; i < design.postsPerPlatform; i++) {
      const id = `${i + 1}#${platform}`;
      const arms: ScoredPost['arms'] = {};
      let multiplier = 1;
      for (const [dimension, deck] of assignments) {
        arms[dimension] = deck[i]!;
        multiplier *= effectOf(design, dimension, deck[i]!);
      }
      const engagement = Math.round(level * multiplier * Math.exp(SIGMA * normalDraw(random)));
      inputs.push({
        id,
        platform,
        postedAt: new Date(start + i * 86_400_000).toISOString(),
        metrics: { likes: engagement, views: engagement * 20 },
      });
      armsOf.set(id, arms);
    }
  }
  const scored: ScoredPost[] = [];
  for (const [id, score] of postScores(inputs)) if (score.status === 'scored') scored.push({ id, z: score.z, arms: armsOf.get(id)! });

  const findings = campaignFindings(scored, { now: '2026-03-01T00:00:00.000Z', seed });
  const claims = claimedFindings(findings);
  // The planted difference a finding measures: its arm's planted log effect minus the mean over the posts it is compared with.
  const logEffect = (id: string, dimension: FindingDimension) => Math.log(effectOf(design, dimension, armsOf.get(id)![dimension]!));
  const plantedDifference = (finding: Finding) => {
    const side = (ids: readonly string[]) => ids.reduce((sum, id) => sum + logEffect(id, finding.dimension), 0) / ids.length;
    return side(finding.postIds.arm) - side(finding.postIds.rest);
  };
  const falseClaims = claims.filter((finding) => {
    const truth = plantedDifference(finding);
    return Math.abs(truth) < 1e-12 || Math.sign(truth) !== Math.sign(finding.effect ?? 0);
  });
  const planted = (Object.entries(design.planted) as [FindingDimension, Record<string, number>][]).flatMap(([dimension, arms]) =>
    Object.entries(arms).map(([arm, multiplier]) => {
      const finding = findings.find((f) => f.dimension === dimension && (f.arm === arm || f.versus === arm));
      const sign = finding?.arm === arm ? 1 : -1;
      const detected =
        finding !== undefined && claims.includes(finding) && Math.sign((finding.effect ?? 0) * sign) === Math.sign(Math.log(multiplier));
      const nArm = finding ? (finding.arm === arm ? finding.n.arm : finding.n.rest) : 0;
      const nRest = finding ? (finding.arm === arm ? finding.n.rest : finding.n.arm) : 0;
      return { dimension, arm, multiplier, nArm, nRest, detected };
    }),
  );
  return { findings, claims, falseClaims, planted };
}

export interface SimulationSummary {
  campaigns: number;
  claims: number;
  falseClaims: number;
  campaignsWithFalseClaims: number;
  /** false claims ÷ claims (0 when nothing was claimed). */
  falseLessonRate: number;
  plantedEffects: number;
  detected: number;
  detectionRate: number;
  /** Median posts per arm of the planted arms. */
  medianPostsPerArm: number;
}

/** Runs `campaigns` simulated campaigns; detection counts planted arms with at least `minPostsPerArm` on both sides. */
export function simulate(design: SimulatedDesign, campaigns: number, seed: string, minPostsPerArm = 0): SimulationSummary {
  let claims = 0;
  let falseClaims = 0;
  let campaignsWithFalseClaims = 0;
  const planted: SimulatedCampaign['planted'] = [];
  for (let i = 0; i < campaigns; i++) {
    const result = simulateCampaign(design, `${seed}|${i}`);
    claims += result.claims.length;
    falseClaims += result.falseClaims.length;
    if (result.falseClaims.length > 0) campaignsWithFalseClaims += 1;
    planted.push(...result.planted.filter((arm) => arm.nArm >= minPostsPerArm && arm.nRest >= minPostsPerArm));
  }
  const detected = planted.filter((arm) => arm.detected).length;
  const sizes = planted.map((arm) => arm.nArm).sort((a, b) => a - b);
  return {
    campaigns,
    claims,
    falseClaims,
    campaignsWithFalseClaims,
    falseLessonRate: claims > 0 ? falseClaims / claims : 0,
    plantedEffects: planted.length,
    detected,
    detectionRate: planted.length > 0 ? detected / planted.length : 0,
    medianPostsPerArm: sizes[sizes.length >> 1] ?? 0,
  };
}

/** Two arms per dimension, one planted up and one planted down, `perArm` scored posts per arm on average. */
export const twoArmDesign = (perArm: number): SimulatedDesign => ({
  platforms: ['youtube'],
  postsPerPlatform: 5 + 2 * perArm,
  arms: { pillar: ['Tips', 'Stories'], hookStyle: ['question', 'statement'], format: ['short', 'long'], hourBand: ['morning', 'evening'] },
  planted: { pillar: { Tips: PLANTED_UP }, hookStyle: { question: PLANTED_DOWN } },
});

/** A 30-day campaign on 3 platforms, one post a day each: the arms production compares, two effects planted. */
export const thirtyDayDesign: SimulatedDesign = {
  platforms: ['youtube', 'instagram', 'tiktok'],
  postsPerPlatform: 30,
  arms: {
    hourBand: ['morning', 'afternoon', 'evening'],
    weekday: ['0', '1', '2', '3', '4', '5', '6'],
    format: ['short', 'carousel', 'long'],
    pillar: ['Tips', 'Stories', 'Behind the scenes', 'Reviews'],
    hookStyle: ['question', 'number', 'how-to', 'statement'],
  },
  planted: { pillar: { Tips: PLANTED_UP }, hookStyle: { question: PLANTED_DOWN } },
};

/** No effect anywhere: every claim is false. */
export const nullDesign: SimulatedDesign = { ...thirtyDayDesign, planted: {} };
