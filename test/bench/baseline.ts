import { contextAgent, type ContextInput } from '../../shared/agents/context';
import { criticAgent, type CriticPost } from '../../shared/agents/critic';
import { forensicsAgent } from '../../shared/agents/forensics';
import { calendarBatches, plannerAgent, type PostPlan } from '../../shared/agents/planner';
import { strategistAgent } from '../../shared/agents/strategist';
import { alignDrafts, writerAgent, type WriterInput } from '../../shared/agents/writer';
import { createAgentRunner, estimateTokens, modelledLatencyMs, readAiConfig, type AgentSpec, type LatencyModel } from '../../shared/ai';
import type { Platform } from '../../shared/schemas/common';
import { buildSchedule } from '../../shared/domain/schedule';
import { readImageSettings } from '../../shared/media/images/config';
import { renderThumbnail } from '../../shared/media/thumbnail';
import { thumbnailRequest } from '../../shared/workflow/thumbnail';
import type { AttemptRef } from '../../shared/db/workflow-store';
import { DEFAULT_CRITIQUE_BAR } from '../../shared/workflow/stages/common';

/**
 * The sequential baseline: the campaign generated the way the original product's orchestrator did
 * it — one agent after another, one writer call and one critic call per post, one image after
 * another (each post's after its critic), nothing in parallel. The same agent specs, the same offline provider and the same
 * inputs as the workflow tasks (shared/workflow/stages/) build, with a single post per
 * writer/critic input. Not a state machine: no state transitions.
 */
export interface BaselineCampaign {
  campaignId: string;
  profile: Record<string, unknown> & { niche: string; targetAudienceNiche: string; timeZone: string };
  goal: { type: 'followers'; metric: string; target: number; baseline?: number };
  durationDays: number;
  startDate: string;
  platforms: { platform: Platform; postsPerWeek: number }[];
  competitors: string[];
  language: string;
}

export interface BaselineRun {
  /** Posts generated in this run (a slice: days ≤ lastDay). */
  posts: number;
  llmCalls: number;
  tokensIn: number;
  tokensOut: number;
  /** Thinking: each agent's thinking budget per call (the offline provider's model of it). */
  tokensThinking: number;
  images: number;
  wallMs: number;
  /** Σ of the latency model's time of every call (unscaled), whatever the run waited. */
  llmModelMs: number;
  /** The final content's own tokens: title, script, post, tags and CTA of each post. */
  contentTokens: number;
  /** The same counts when the last post of week 1 was done. */
  week1: { llmModelMs: number; images: number; wallMs: number };
}

/** The offline providers' latency: the LLM's latency model and a flat wait per image. */
export interface Latency {
  llm: LatencyModel;
  imageMs: number;
}

/** Runs the baseline over the posts of days ≤ lastDay (all of them by default), with the given latencies. */
export async function runBaseline(campaign: BaselineCampaign, latency: Latency, lastDay = Infinity): Promise<BaselineRun> {
  const runner = createAgentRunner({ ...readAiConfig(), models: ['offline'], offlineLatency: latency.llm });
  const images = { ...readImageSettings(), provider: 'offline' as const, offlineLatencyMs: latency.imageMs };
  const run: BaselineRun = {
    posts: 0,
    llmCalls: 0,
    tokensIn: 0,
    tokensOut: 0,
    tokensThinking: 0,
    images: 0,
    wallMs: 0,
    llmModelMs: 0,
    contentTokens: 0,
    week1: { llmModelMs: 0, images: 0, wallMs: 0 },
  };
  const call = async <I, O>(spec: AgentSpec<I, O>, input: I, seed: string): Promise<O> => {
    const result = await runner.run(spec, input, { seed });
    run.llmCalls += result.attempts;
    run.tokensIn += result.tokensIn;
    run.tokensOut += result.tokensOut;
    run.tokensThinking += result.thinkingTokens ?? 0;
    run.llmModelMs += modelledLatencyMs(latency.llm, result.tokensOut, result.thinkingTokens ?? 0);
    return result.output;
  };

  const started = performance.now();
  const { campaignId, profile } = campaign;
  const platforms = campaign.platforms.map((plan) => plan.platform);
  const context = await call(contextAgent, profile as unknown as ContextInput, campaignId);
  const forensics = await call(forensicsAgent, { niche: profile.niche, competitors: campaign.competitors, platforms }, campaignId);
  const strategy = await call(
    strategistAgent,
    {
      niche: profile.niche,
      goal: campaign.goal,
      durationDays: campaign.durationDays,
      platforms: campaign.platforms,
      context,
      forensics,
      memories: [],
    },
    campaignId,
  );
  const schedule = buildSchedule({
    durationDays: campaign.durationDays,
    startDate: campaign.startDate,
    platforms: campaign.platforms,
    timeZone: profile.timeZone,
  });
  const topics = new Map<string, PostPlan['posts'][number]>();
  for (const [i, batch] of calendarBatches(schedule.map(({ day, platform, format }) => ({ day, platform, format }))).entries()) {
    const plan = await call(plannerAgent, { strategy, pillars: context.contentPillars, posts: batch }, `${campaignId}#plan#${i}`);
    for (const topic of plan.posts) topics.set(`${topic.day}|${topic.platform}`, topic);
  }

  const goal = { type: campaign.goal.type, metric: campaign.goal.metric, target: campaign.goal.target };
  const ref = { userId: 'baseline', campaignId, attempt: 1 } satisfies AttemptRef;
  for (const post of schedule.filter((p) => p.day <= lastDay)) {
    const topic = topics.get(`${post.day}|${post.platform}`);
    const brief = {
      day: post.day,
      platform: post.platform,
      format: post.format,
      pillar: topic?.pillar ?? strategy.pillars[0],
      topic: topic?.topic ?? `${profile.niche}, day ${post.day}`,
      angle: topic?.angle ?? strategy.positioning,
    };
    const writerInput: WriterInput = {
      strategy: { summary: strategy.summary, positioning: strategy.positioning, pillars: strategy.pillars },
      voice: context.voice,
      language: campaign.language,
      goal,
      niche: profile.niche,
      audience: profile.targetAudienceNiche ?? context.audienceInsight,
      posts: [brief],
    };
    const seed = `${campaignId}#d${post.day}#${post.platform}`;
    const [{ language: _, ...draft }] = alignDrafts(writerInput, await call(writerAgent, writerInput, seed), seed, 'offline').posts;
    const judged: CriticPost = { ...draft, format: brief.format, pillar: brief.pillar, topic: brief.topic, angle: brief.angle };
    await call(
      criticAgent,
      {
        strategy: { summary: strategy.summary, pillars: strategy.pillars },
        goal,
        niche: profile.niche,
        audience: context.audienceInsight,
        bar: DEFAULT_CRITIQUE_BAR,
        posts: [judged],
      },
      seed,
    );
    await renderThumbnail(
      thumbnailRequest(ref, post.day, post.platform, { ...draft, topic: brief.topic, pillar: brief.pillar }, profile.niche),
      images,
    );
    run.images++;
    run.posts++;
    run.contentTokens += estimateTokens(
      JSON.stringify({ title: draft.title, script: draft.script, post: draft.post, seoTags: draft.seoTags, cta: draft.cta }).length,
    );
    if (post.day <= 7) run.week1 = { llmModelMs: run.llmModelMs, images: run.images, wallMs: performance.now() - started };
  }
  run.wallMs = performance.now() - started;
  return run;
}
