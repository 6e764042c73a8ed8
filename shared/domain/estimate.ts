import { agentConfigSchema } from '../schemas/campaign-fields';
import type { Platform } from '../schemas/common';
import { imageMicroUsd, llmCallMicroUsd, STATE_TRANSITION_USD } from './pricing';
import { buildSchedule, plannerCalls, type CalendarPost } from './schedule';
import { chunkTokensOf, DRAFT_TOKENS, writerChunks } from './writer-chunks';

/**
 * The cost dry-run of a campaign as configured: how many LLM calls, tokens, images and state
 * transitions its generation takes, and what that costs on each model of the fallback chain
 * (prices from ./pricing.ts, the one price table).
 *
 * The counts follow the workflow's structure with the workflow's own functions: the calendar
 * (buildSchedule), the planner's calls (plannerCalls), per week and round a Write per chunk
 * (writerChunks) and one Critique, one thumbnail task per week. What the structure cannot know is how many posts a
 * critique sends back for a rewrite and how long each answer is: those are the calibration below,
 * measured on offline runs of the sample creator (7 to 60 days, 3 to 240 posts: tokens within 5 %;
 * test/integration/account.test.ts checks one within 10 %; re-measure when prompts change).
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
    /** One call per platform and week, each with the whole strategy; angles are one clause. */
    topics: { in: 1300, inPerPost: 12, outPerPost: 55 },
    /** A writer call sees its chunk's briefs and platform's limits, the rest of its week's plan, and for a rewrite the critiques. */
    write: { in: 900, inPerPost: 56, inPerPlannedPost: 29, rewriteInPerPost: 90 },
    /** The critic reads the drafts (compact, without tags and image prompts); it gives reasons only below the bar. */
    critique: { in: 600, inPerDraftToken: 0.9, outPerPost: 15 },
  },
  /** What the writer writes for one post, by platform (scripts for video, short text for X). */
  draftTokens: DRAFT_TOKENS,
  /**
   * Share of a week's posts rewritten in critique round r (1-based). The offline critic passes a first
   * campaign's drafts (test/unit/content-quality.test.ts), so the expectation is none; a real
   * model's critic sends some back: that is what `worstCase` is for.
   */
  rewriteShare: [0, 0, 0],
  /** States entered outside the loops: LoadContext, Research + 2 branches, Strategist, Planner, Weeks, Finalize, AllWeeksReady?, Done. */
  fixedTransitions: 10,
  /** A re-plan's: Replan?, ReplanPlanner, Weeks, Finalize, AllWeeksReady?, Done. */
  replanFixedTransitions: 6,
  /** Per week and round: Write, Critique, CritiqueDone?, then NextRound or (its last round) WeekThumbnails. */
  transitionsPerRound: 4,
} as const;

export interface EstimateInput {
  durationDays: number;
  startDate: string;
  platforms: readonly { platform: Platform; postsPerWeek: number }[];
  agentConfig?: { maxCritiqueRounds?: number };
}

/** What will run the campaign: the LLM chain and whose key it runs on, and the image provider. */
export interface GenerationChain {
  models: readonly string[];
  /** `creator`: the creator's own Gemini key answers (metered apart, at no cost to the platform). */
  keySource: 'platform' | 'creator';
  imageProvider: string;
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
  /** The chain priced: its dearest model (a fallback only ever answers cheaper) and what those calls cost at its list price. */
  llm: { chain: string[]; model: string; keySource: 'platform' | 'creator'; costMicroUsd: number };
  thumbnails: { provider: string; costMicroUsd: number };
  /** The LLM calls' cost if every call were answered by that model of the chain. */
  perModel: { model: string; costMicroUsd: number; costUsd: number }[];
  /** Step Functions' price of the transitions: the platform's infrastructure, not in costMicroUsd. */
  stateTransitionsCostMicroUsd: number;
  /**
   * What the run will meter as its cost (the `costMicroUsd` of stats and of the month): the LLM
   * calls on the platform's key and the images. Calls on the creator's own key cost the platform
   * nothing (the creator pays Gemini: llm.costMicroUsd).
   */
  costMicroUsd: number;
  costUsd: number;
  worstCase: { llmCalls: number; tokensIn: number; tokensOut: number; costMicroUsd: number };
}

/** What a run generates: the posts it writes, its critique rounds, and whether it researches and plans first (a first generation) or not (a re-plan). */
interface GenerationShape {
  posts: readonly CalendarPost[];
  rounds: number;
  firstGeneration: boolean;
}

function llmCounts(
  { posts, rounds, firstGeneration }: GenerationShape,
  share: (round: number) => number,
): Counts & { posts: number; weeks: number; rounds: number; weekRounds: number } {
  const t = CALIBRATION.tokens;
  const weeks = new Map<number, Platform[]>();
  for (const post of posts) weeks.set(Math.ceil(post.day / 7), [...(weeks.get(Math.ceil(post.day / 7)) ?? []), post.platform]);
  const counts: Counts = firstGeneration
    ? {
        llmCalls: 3,
        tokensIn: t.context.in + t.forensics.in + t.strategy.in,
        tokensOut: t.context.out + t.forensics.out + t.strategy.out + t.strategy.outPerWeek * weeks.size,
      }
    : { llmCalls: 0, tokensIn: 0, tokensOut: 0 };
  const add = (calls: number, tokensIn: number, tokensOut: number) => {
    counts.llmCalls += calls;
    counts.tokensIn += tokensIn;
    counts.tokensOut += tokensOut;
  };
  if (firstGeneration)
    for (const batch of plannerCalls(posts)) add(1, t.topics.in + t.topics.inPerPost * batch.length, t.topics.outPerPost * batch.length);
  /** A week's round: a Write per chunk (writerChunks), all at once, and one Critique over the posts of the round. */
  const writeAndCritique = (week: number, weekPosts: number, platforms: Platform[], rewrite: boolean) => {
    for (const chunk of writerChunks(
      platforms.map((platform) => ({ platform })),
      chunkTokensOf(week),
    )) {
      const drafts = chunk.reduce((sum, { platform }) => sum + CALIBRATION.draftTokens[platform], 0);
      const others = rewrite ? 0 : weekPosts - chunk.length;
      add(
        1,
        t.write.in + t.write.inPerPlannedPost * others + (t.write.inPerPost + (rewrite ? t.write.rewriteInPerPost : 0)) * chunk.length,
        drafts,
      );
    }
    const drafts = platforms.reduce((sum, platform) => sum + CALIBRATION.draftTokens[platform], 0);
    add(1, Math.round(t.critique.in + t.critique.inPerDraftToken * drafts), t.critique.outPerPost * platforms.length);
  };
  let weekRounds = 0;
  for (const [week, platforms] of weeks) {
    weekRounds++;
    writeAndCritique(week, platforms.length, platforms, false);
    for (let round = 1; round <= rounds; round++) {
      const rewritten = platforms.slice(0, Math.round(platforms.length * share(round)));
      if (rewritten.length === 0) break;
      weekRounds++;
      writeAndCritique(week, platforms.length, rewritten, true);
    }
  }
  return { ...counts, posts: posts.length, weeks: weeks.size, rounds, weekRounds };
}

const roundsOf = (agentConfig: EstimateInput['agentConfig']) => agentConfigSchema.parse(agentConfig ?? {}).maxCritiqueRounds;

export function estimateCampaign(input: EstimateInput, chain: GenerationChain): CampaignEstimate {
  // The time zone moves posting times, not the number of posts.
  const posts = buildSchedule({ ...input, timeZone: 'UTC' });
  return priceGeneration({ posts, rounds: roundsOf(input.agentConfig), firstGeneration: true }, chain);
}

/**
 * A re-plan's dry-run (shared/app/replan.ts): the writer and critic rounds and the thumbnails of
 * the posts it may rewrite, week by week as the first generation; no research and no planner call
 * (its planner is code). Priced as if every open post changed: the re-plan rewrites at most these.
 */
export function estimateReplan(
  openPosts: readonly CalendarPost[],
  agentConfig: EstimateInput['agentConfig'],
  chain: GenerationChain,
): CampaignEstimate {
  return priceGeneration({ posts: openPosts, rounds: roundsOf(agentConfig), firstGeneration: false }, chain);
}

function priceGeneration(shape: GenerationShape, chain: GenerationChain): CampaignEstimate {
  const expected = llmCounts(shape, (round) => CALIBRATION.rewriteShare[round - 1] ?? 0);
  const worst = llmCounts(shape, () => 1);
  const images = expected.posts;
  const { weekRounds } = expected;
  const fixed = shape.firstGeneration ? CALIBRATION.fixedTransitions : CALIBRATION.replanFixedTransitions;
  const stateTransitions = fixed + CALIBRATION.transitionsPerRound * weekRounds;
  const imagesCost = images * imageMicroUsd(chain.imageProvider);
  const perModel = chain.models.map((model) => {
    const costMicroUsd = llmCallMicroUsd(model, expected.tokensIn, expected.tokensOut);
    return { model, costMicroUsd, costUsd: costMicroUsd / 1_000_000 };
  });
  const priced = perModel.reduce((dearest, row) => (row.costMicroUsd > dearest.costMicroUsd ? row : dearest));
  const llmCost = (counts: Counts) =>
    Math.max(0, ...chain.models.map((model) => llmCallMicroUsd(model, counts.tokensIn, counts.tokensOut)));
  const metered = (counts: Counts) => (chain.keySource === 'creator' ? 0 : llmCost(counts)) + imagesCost;
  const costMicroUsd = metered(expected);
  return {
    posts: expected.posts,
    weeks: expected.weeks,
    critiqueRounds: expected.rounds,
    llmCalls: expected.llmCalls,
    tokensIn: expected.tokensIn,
    tokensOut: expected.tokensOut,
    images,
    stateTransitions,
    llm: { chain: [...chain.models], model: priced.model, keySource: chain.keySource, costMicroUsd: priced.costMicroUsd },
    thumbnails: { provider: chain.imageProvider, costMicroUsd: imagesCost },
    perModel,
    stateTransitionsCostMicroUsd: Math.round(stateTransitions * STATE_TRANSITION_USD * 1_000_000),
    costMicroUsd,
    costUsd: costMicroUsd / 1_000_000,
    worstCase: { llmCalls: worst.llmCalls, tokensIn: worst.tokensIn, tokensOut: worst.tokensOut, costMicroUsd: metered(worst) },
  };
}
