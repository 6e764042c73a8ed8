import { clip, formatNumber, platformNames } from '../common/offline-text';
import type { ReporterInput, ReporterOutput } from './schema';

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const hourText = (hour: number) => `${String(hour).padStart(2, '0')}:00`;
const rateText = (rate: number | undefined) => (rate === undefined ? '' : `, ${rate}% of views`);

interface Ranked {
  name: string;
  posted: number;
  avgEngagement: number;
  engagementRate?: number;
}

const evidenceOf = (group: Ranked) =>
  `${formatNumber(group.avgEngagement)} interactions per post over ${group.posted} posts${rateText(group.engagementRate)}`;

/** Best and worst of the groups that posted, when there are at least two to compare. */
function extremes<T extends Ranked>(groups: readonly T[]): { best?: T; worst?: T } {
  const posted = [...groups]
    .filter((group) => group.posted > 0)
    .sort((a, b) => b.avgEngagement - a.avgEngagement || a.name.localeCompare(b.name));
  return { best: posted[0], worst: posted.length > 1 ? posted.at(-1) : undefined };
}

export function offlineReport(input: ReporterInput): ReporterOutput {
  const { numbers } = input;
  const { goal, posts, totals } = numbers;
  const platforms = extremes(numbers.perPlatform.map((group) => ({ ...group, name: platformNames[group.platform] })));
  const pillars = extremes(numbers.perPillar.map((group) => ({ ...group, name: group.pillar })));
  const platformOf = (name: string | undefined) => numbers.perPlatform.find((group) => platformNames[group.platform] === name)?.platform;
  const goalLine = `${goal.metric}: ${formatNumber(goal.achieved)} achieved against ${formatNumber(goal.baseline !== undefined ? goal.target - goal.baseline : goal.target)} needed (${goal.progressPercent}%)`;

  const summary = clip(
    `${goal.met ? 'Goal met' : 'Goal not met'}. ${goalLine}. ${posts.posted} of ${posts.planned} planned posts went out` +
      `${posts.skipped ? `, ${posts.skipped} skipped` : ''}${posts.unconfirmed ? `, ${posts.unconfirmed} unconfirmed` : ''}; ` +
      `${formatNumber(totals.engagement)} interactions on ${formatNumber(totals.views)} views.` +
      (platforms.best ? ` ${platforms.best.name} did best (${evidenceOf(platforms.best)}).` : ''),
    1200,
  );

  const whatWorked: ReporterOutput['whatWorked'] = [];
  const whatFailed: ReporterOutput['whatFailed'] = [];
  const recommendations: ReporterOutput['recommendations'] = [];
  if (platforms.best) {
    whatWorked.push({
      text: `${platforms.best.name} drew the most engagement per post.`,
      platform: platformOf(platforms.best.name),
      evidence: evidenceOf(platforms.best),
    });
  }
  if (pillars.best)
    whatWorked.push({
      text: `The "${clip(pillars.best.name, 60)}" pillar resonated most.`,
      pillar: pillars.best.name,
      evidence: evidenceOf(pillars.best),
    });
  const [top] = numbers.bestPosts;
  if (top) {
    whatWorked.push({
      text: `Best post: ${top.title ? `"${clip(top.title, 200)}"` : `day ${top.day}`} on ${platformNames[top.platform]}.`,
      platform: top.platform,
      ...(top.pillar && { pillar: top.pillar }),
      evidence: `${formatNumber(top.engagement)} interactions, ${formatNumber(top.views)} views (day ${top.day})`,
    });
  }
  if (platforms.worst) {
    whatFailed.push({
      text: `${platforms.worst.name} engaged least per post.`,
      platform: platformOf(platforms.worst.name),
      evidence: evidenceOf(platforms.worst),
    });
  }
  if (pillars.worst)
    whatFailed.push({
      text: `The "${clip(pillars.worst.name, 60)}" pillar engaged least.`,
      pillar: pillars.worst.name,
      evidence: evidenceOf(pillars.worst),
    });
  if (posts.skipped > 0)
    whatFailed.push({ text: 'Some planned posts were skipped.', evidence: `${posts.skipped} of ${posts.planned} posts skipped` });
  if (!goal.met) whatFailed.push({ text: `The goal fell short on ${goal.metric}.`, evidence: goalLine });

  for (const slot of numbers.bestPostingTimes) {
    recommendations.push({
      text: `Post on ${platformNames[slot.platform]} around ${hourText(slot.hour)} (best on ${WEEKDAYS[slot.weekday]}s).`,
      platform: slot.platform,
      evidence: `${formatNumber(Math.round(slot.engagement / slot.posts))} interactions per post over ${slot.posts} posts at that time`,
    });
  }
  if (platforms.best && pillars.best) {
    recommendations.push({
      text: `Give ${platforms.best.name} more of the "${clip(pillars.best.name, 60)}" pillar.`,
      platform: platformOf(platforms.best.name),
      pillar: pillars.best.name,
      evidence: `${evidenceOf(platforms.best)}; the pillar: ${evidenceOf(pillars.best)}`,
    });
  }
  if (posts.skipped > 0) {
    recommendations.push({
      text: 'Plan a posting frequency you can keep: fewer posts per week, all of them published.',
      evidence: `${posts.skipped} of ${posts.planned} posts skipped`,
    });
  }
  return {
    summary,
    whatWorked: whatWorked.slice(0, 12),
    whatFailed: whatFailed.slice(0, 12),
    recommendations: recommendations.slice(0, 12),
  };
}
