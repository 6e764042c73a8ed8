import type { ContextInput } from '../../shared/agents/context';
import { offlineContext } from '../../shared/agents/context/offline';
import { offlineForensics } from '../../shared/agents/forensics/offline';
import { offlinePlan } from '../../shared/agents/planner/offline';
import type { CampaignGoal } from '../../shared/agents/strategist';
import { offlineStrategy } from '../../shared/agents/strategist/offline';
import type { PostBrief, WriterInput } from '../../shared/agents/writer';
import { buildSchedule } from '../../shared/domain/schedule';
import type { Platform } from '../../shared/schemas/common';

/**
 * The quality bench's four sample creators and their campaigns, planned by the offline agents
 * (context → forensics → strategist → schedule → planner) exactly as the workflow chains them, so
 * the writer sees the briefs a creator without a model key gets.
 */
export interface SampleCreator {
  id: string;
  profile: ContextInput;
  goal: CampaignGoal;
  platforms: Platform[];
  competitors: string[];
}

export const SAMPLE_CREATORS: readonly SampleCreator[] = [
  {
    id: 'finance-educator',
    profile: {
      userName: 'Maya Chen',
      creatorType: 'educator',
      niche: 'personal finance for university students',
      targetAudienceNiche: 'first-year students living on a tight budget',
      timeZone: 'Europe/Paris',
      uniqueAngle: 'Budgeting explained with hand-drawn sketches and real student receipts',
      selfStrengths: ['drawing', 'explaining numbers simply'],
      selfTopics: ['student budgets', 'saving on groceries', 'first bank account', 'side hustles'],
      selfMotivation: 'I ran out of money in my first semester and learned the hard way',
    },
    goal: { type: 'followers', metric: 'YouTube subscribers', target: 2000, baseline: 1200 },
    platforms: ['youtube', 'tiktok', 'instagram'],
    competitors: ['@studentmoneytips', '@frugalcampus'],
  },
  {
    id: 'fitness-coach',
    profile: {
      userName: 'Jordan Reyes',
      creatorType: 'coach',
      niche: 'strength training for busy parents',
      targetAudienceNiche: 'parents with 30 minutes a day to train',
      timeZone: 'America/Chicago',
      uniqueAngle: 'Home workouts with one pair of dumbbells, filmed during nap time',
      selfStrengths: ['programming progressions', 'form cues'],
      selfTopics: ['home workouts', 'progressive overload', 'mobility', 'protein on a budget'],
    },
    goal: { type: 'leads', metric: 'newsletter sign-ups', target: 500 },
    platforms: ['instagram', 'youtube', 'x'],
    competitors: ['@dadbodstrong'],
  },
  {
    id: 'home-cook',
    profile: {
      userName: 'Amara Okafor',
      creatorType: 'creator',
      niche: 'weeknight home cooking',
      targetAudienceNiche: 'young professionals who cook after work',
      timeZone: 'Europe/London',
      uniqueAngle: 'West African flavours in 30-minute dinners',
      selfStrengths: ['recipe testing', 'food photography'],
      selfTopics: ['one-pan dinners', 'meal prep', 'spice blends', 'pantry staples'],
    },
    goal: { type: 'engagement', metric: 'comments per post', target: 40 },
    platforms: ['instagram', 'tiktok', 'threads'],
    competitors: ['@quickjollof'],
  },
  {
    id: 'indie-gamedev',
    profile: {
      userName: 'Sam Lindqvist',
      creatorType: 'developer',
      niche: 'indie game development',
      targetAudienceNiche: 'hobbyist developers shipping their first game',
      timeZone: 'Europe/Stockholm',
      uniqueAngle: 'Devlogs of a cozy farming game built solo in Godot',
      selfStrengths: ['pixel art', 'shipping small games'],
      selfTopics: ['devlogs', 'game feel', 'scope control', 'Steam page wishlists'],
    },
    goal: { type: 'launch', metric: 'Steam wishlists', target: 5000 },
    platforms: ['youtube', 'x', 'linkedin'],
    competitors: ['@cozydevlog'],
  },
];

export interface SampleCampaign {
  creator: SampleCreator;
  durationDays: number;
  input: WriterInput;
}

/** A campaign of `durationDays` on the creator's three platforms, every post planned; `seed` varies the plan. */
export function sampleCampaign(creator: SampleCreator, durationDays: number, seed: string, postsPerWeek = 7): SampleCampaign {
  const context = offlineContext(creator.profile, seed);
  const forensics = offlineForensics(
    { niche: creator.profile.niche, competitors: creator.competitors, platforms: creator.platforms },
    seed,
  );
  const platforms = creator.platforms.map((platform) => ({ platform, postsPerWeek }));
  const strategy = offlineStrategy(
    { niche: creator.profile.niche, goal: creator.goal, durationDays, platforms, context, forensics, memories: [] },
    seed,
  );
  const schedule = buildSchedule({ durationDays, startDate: '2027-01-04', platforms, timeZone: creator.profile.timeZone });
  const calendar = schedule.map(({ day, platform, format }) => ({ day, platform, format }));
  const plan = offlinePlan({ strategy, pillars: context.contentPillars, posts: calendar }, seed);
  const byKey = new Map(plan.posts.map((post) => [`${post.day}|${post.platform}`, post]));
  const posts: PostBrief[] = calendar.map((post) => {
    const planned = byKey.get(`${post.day}|${post.platform}`);
    return {
      ...post,
      pillar: planned?.pillar ?? strategy.pillars[0]!,
      topic: planned?.topic ?? `${creator.profile.niche}, day ${post.day}`,
      angle: planned?.angle ?? strategy.positioning,
    };
  });
  return {
    creator,
    durationDays,
    input: {
      strategy: { summary: strategy.summary, positioning: strategy.positioning, pillars: strategy.pillars },
      voice: context.voice,
      language: 'en',
      goal: { type: creator.goal.type, metric: creator.goal.metric, target: creator.goal.target },
      niche: creator.profile.niche,
      audience: creator.profile.targetAudienceNiche ?? context.audienceInsight,
      posts,
    },
  };
}
