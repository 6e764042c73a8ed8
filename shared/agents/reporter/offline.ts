import { claimedFindings } from '../../domain/evidence';
import { plural } from '../../domain/wording';
import { clip, formatNumber, platformNames } from '../common/offline-text';
import type { ReporterFinding, ReporterInput, ReporterOutput } from './schema';

const rateText = (rate: number | undefined) => (rate === undefined ? '' : `, ${rate}% of views`);

interface Ranked {
  name: string;
  posted: number;
  avgEngagement: number;
  engagementRate?: number;
}

const evidenceOf = (group: Ranked) =>
  `${formatNumber(group.avgEngagement)} interactions per post over ${plural(group.posted, 'post')}${rateText(group.engagementRate)}`;

const findingEvidence = (finding: ReporterFinding) =>
  clip(
    `${finding.confidence}: effect ${finding.effect} (interval ${finding.interval!.low} to ${finding.interval!.high}), n = ${finding.n.arm} vs ${finding.n.rest}`,
    300,
  );

/** What the comparisons allow: how many claim an effect, or explicitly that there is not enough evidence yet. */
function evidenceLine(findings: readonly ReporterFinding[]): string {
  const claimed = claimedFindings(findings).length;
  if (claimed > 0) return `${plural(claimed, 'comparison')} of ${findings.length} show a clear difference.`;
  const tested = findings.filter((finding) => finding.confidence === 'no claim').length;
  if (tested === 0) return 'Not enough evidence yet for any lesson: fewer than 5 scored posts per arm.';
  return `No clear difference in ${plural(tested, 'comparison')}, so no recommendation from them yet.`;
}

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
      (platforms.best ? ` ${platforms.best.name} did best (${evidenceOf(platforms.best)}).` : '') +
      ` ${evidenceLine(numbers.findings)}` +
      (numbers.prediction ? ` ${numbers.prediction.reading}` : '') +
      (numbers.experiments ? ` Hook styles: ${numbers.experiments.hookStyles.verdict}` : ''),
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
    whatFailed.push({ text: 'Some planned posts were skipped.', evidence: `${posts.skipped} of ${plural(posts.planned, 'post')} skipped` });
  if (!goal.met) whatFailed.push({ text: `The goal fell short on ${goal.metric}.`, evidence: goalLine });

  // Recommendations rest on findings whose interval excludes 0 (strong or suggestive), never on a best slot or a best group alone.
  const claimed = claimedFindings(numbers.findings);
  for (const finding of claimed) {
    (finding.effect! > 0 ? whatWorked : whatFailed).push({ text: clip(finding.claim, 400), evidence: findingEvidence(finding) });
    recommendations.push({ text: clip(finding.recommendation!, 400), evidence: findingEvidence(finding) });
  }
  if (posts.skipped > 0) {
    recommendations.push({
      text: 'Plan a posting frequency you can keep: fewer posts per week, all of them published.',
      evidence: `${posts.skipped} of ${plural(posts.planned, 'post')} skipped`,
    });
  }
  return {
    summary,
    whatWorked: whatWorked.slice(0, 12),
    whatFailed: whatFailed.slice(0, 12),
    recommendations: recommendations.slice(0, 12),
  };
}
