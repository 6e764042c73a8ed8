import { agentConfigSchema } from '../schemas/campaign';
import type { Platform } from '../schemas/common';
import { imageMicroUsd, llmCallMicroUsd, modelPrices, STATE_TRANSITION_USD } from './pricing';
import { buildSchedule, calendarBatches } from './schedule';

/**
 * The cost dry-run of a campaign as configured: how many LLM calls, tokens, images and state
 * transitions its generation takes, and what that costs on each model of the fallback chain
 * (prices from ./pricing.ts, the one price table).
 *
 * The counts follow the workflow's structure with the workflow's own functions: the calendar
 * (buildSchedule), the planner's batches (calendarBatches), one Write and one Critique per week
 * and round, one thumbnail per post. What the structure cannot know is how many posts a critique
 * sends back for a rewrite and how long each answer is: those are the calibration below, measured
 * on offline runs (`npm run bench` prints estimate vs actual; re-measure when prompts change).
 * `expected` assumes the measured rewrite shares; `worstCase` has every round rewrite every post
 * — the start refuses a campaign whose worst case would cross the month's LLM budget, so a
 * campaign is never stopped half-way for money.
 */
export const CALIBRATION = {
  /** Tokens of one call: fixed part and per post in the call (offline provider, ~4 characters a token). */
  tokens: {
    context: { in: 630, out: 850 },
    forensics: { in: 325, out: 690 },
    strategy: { in: 2000, out: 330, outPerWeek: 80 },
    topics: { in: 1100, inPerPost: 12, outPerPost: 68 },
    write: { in: 1340, inPerPost: 80, outPerPost: 400 },
    rewrite: { in: 1340, inPerPost: 170, outPerPost: 400 },
    critique: { in: 300, inPerPost: 500, outPerPost: 70 },
    recritique: { in: 300, inPerPost: 480, outPerPost: 45 },
  },
  /**
   * Share of a week's posts rewritten in critique round r: posts / (posts + rewriteHalf[r-1]), with
   * `posts` the whole campaign's — the critic marks down posts that repeat others of the campaign,
   * so a longer campaign rewrites more (measured offline: 16 posts ≈ 25 % in round 1, 90 ≈ 70 %,
   * 240 ≈ 80 %). A real model's critic differs; that is what `worstCase` is for.
   */
  rewriteHalf: [40, 130, 300],
  /** States entered outside the loops: LoadContext, Research + 2 branches, Strategist, PlanPosts, Writing, Thumbnails, Finalize, Done. */
  fixedTransitions: 10,
  /** Per week and round: Write, Critique, CritiqueDone?; per extra round NextRound; per post its Thumbnail. */
  transitionsPerRound: 3,
} as const;

export interface EstimateInput {
  durationDays: number;
  startDate: string;
  platforms: readonly { platform: Platform; postsPerWeek: number }[];
  agentConfig?: { maxCritiqueRounds?: number };
  imageProvider?: string;
}

interface Counts {
  llmCalls: number;
  tokensIn: number;
  tokensOut: number;
}

export interface CampaignEstimate {
  posts: number;
  weeks: number;
  critiqueRounds: number;
  llmCalls: number;
  tokensIn: number;
  tokensOut: number;
  images: number;
  stateTransitions: number;
  /** The cost if every call were answered by that model (plus images and transitions). */
  perModel: { model: string; costMicroUsd: number; costUsd: number }[];
  /** The dearest model of the chain: what the budget is checked against. */
  costMicroUsd: number;
  worstCase: { llmCalls: number; tokensIn: number; tokensOut: number; costMicroUsd: number };
}

function llmCounts(input: EstimateInput, share: (round: number) => number): Counts & { posts: number; weeks: number; rounds: number; weekRounds: number } {
  const t = CALIBRATION.tokens;
  // The time zone moves posting times, not the number of posts.
  const posts = buildSchedule({ ...input, timeZone: 'UTC' });
  const weeks = new Map<number, number>();
  for (const post of posts) weeks.set(Math.ceil(post.day / 7), (weeks.get(Math.ceil(post.day / 7)) ?? 0) + 1);
  const rounds = agentConfigSchema.parse(input.agentConfig ?? {}).maxCritiqueRounds;
  const counts: Counts = { llmCalls: 3, tokensIn: t.context.in + t.forensics.in + t.strategy.in, tokensOut: t.context.out + t.forensics.out + t.strategy.out + t.strategy.outPerWeek * weeks.size };
  const add = (calls: number, tokensIn: number, tokensOut: number) => {
    counts.llmCalls += calls;
    counts.tokensIn += tokensIn;
    counts.tokensOut += tokensOut;
  };
  for (const batch of calendarBatches(posts)) add(1, t.topics.in + t.topics.inPerPost * batch.length, t.topics.outPerPost * batch.length);
  let weekRounds = 0;
  for (const weekPosts of weeks.values()) {
    weekRounds++;
    add(2, t.write.in + t.critique.in + (t.write.inPerPost + t.critique.inPerPost) * weekPosts, (t.write.outPerPost + t.critique.outPerPost) * weekPosts);
    for (let round = 1; round <= rounds; round++) {
      const rewritten = Math.round(weekPosts * share(round));
      if (rewritten === 0) break;
      weekRounds++;
      add(2, t.rewrite.in + t.recritique.in + (t.rewrite.inPerPost + t.recritique.inPerPost) * rewritten, (t.rewrite.outPerPost + t.recritique.outPerPost) * rewritten);
    }
  }
  return { ...counts, posts: posts.length, weeks: weeks.size, rounds, weekRounds };
}

/** The models the estimate prices: the configured chain (LLM_MODELS), else every model of the price table. */
export function estimateModels(configured: string | undefined): string[] {
  const chain = (configured ?? '').split(',').map((model) => model.trim()).filter(Boolean);
  return chain.length > 0 ? chain : Object.keys(modelPrices);
}

export function estimateCampaign(input: EstimateInput, models: readonly string[]): CampaignEstimate {
  const posts = buildSchedule({ ...input, timeZone: 'UTC' }).length;
  const expected = llmCounts(input, (round) => posts / (posts + (CALIBRATION.rewriteHalf[round - 1] ?? Infinity)));
  const worst = llmCounts(input, () => 1);
  const images = expected.posts;
  const { weekRounds, weeks } = expected;
  const stateTransitions = CALIBRATION.fixedTransitions + CALIBRATION.transitionsPerRound * weekRounds + (weekRounds - weeks) + expected.posts;
  const imageCost = images * imageMicroUsd(input.imageProvider ?? 'offline');
  const transitionCost = Math.round(stateTransitions * STATE_TRANSITION_USD * 1_000_000);
  const price = (counts: Counts, model: string) => llmCallMicroUsd(model, counts.tokensIn, counts.tokensOut) + imageCost + transitionCost;
  const perModel = models.map((model) => {
    const costMicroUsd = price(expected, model);
    return { model, costMicroUsd, costUsd: costMicroUsd / 1_000_000 };
  });
  const dearest = (counts: Counts) => Math.max(0, ...models.map((model) => price(counts, model)));
  return {
    posts: expected.posts,
    weeks: expected.weeks,
    critiqueRounds: expected.rounds,
    llmCalls: expected.llmCalls,
    tokensIn: expected.tokensIn,
    tokensOut: expected.tokensOut,
    images,
    stateTransitions,
    perModel,
    costMicroUsd: dearest(expected),
    worstCase: { llmCalls: worst.llmCalls, tokensIn: worst.tokensIn, tokensOut: worst.tokensOut, costMicroUsd: dearest(worst) },
  };
}
