import { DomainError } from '../core/errors';
import type { Platform } from '../schemas/common';
import { claimedFindings, LESSON_TTL_DAYS } from './evidence';
import { goalBasis } from './outcome';
import { addDays } from './schedule';
import type { Finding } from '../schemas/findings';
import type { ApproveLessons, Lesson, Lessons, LessonsContent } from '../schemas/report';

/**
 * The lessons of a campaign: drafted by the reporter when the campaign completes, edited and
 * approved by the creator (their edits kept verbatim and winning over the draft), and turned into
 * learning memories (`MEM#<goalType>#<platform>#<cid>`) that the creator's next campaigns rank by
 * relevance (./memories.ts). Pure.
 */

/** A lesson's fields in one order, so two versions compare by content. */
const normalLesson = ({ text, platform, pillar, evidence }: Lesson): Lesson => ({
  text,
  ...(platform !== undefined && { platform }),
  ...(pillar !== undefined && { pillar }),
  ...(evidence !== undefined && { evidence }),
});

export function lessonsContent(lessons: LessonsContent): LessonsContent {
  return {
    summary: lessons.summary,
    whatWorked: lessons.whatWorked.map(normalLesson),
    whatFailed: lessons.whatFailed.map(normalLesson),
    recommendations: lessons.recommendations.map(normalLesson),
  };
}

export function draftLessons(campaignId: string, content: LessonsContent, model: string, now: string, findings: Finding[]): Lessons {
  return { campaignId, state: 'draft', version: 1, model, draftedAt: now, ...lessonsContent(content), findings };
}

/**
 * The creator's approval with their edits. Approving the draft needs no version; approving again
 * with the same content changes nothing (a retried request); approving again with different
 * content is an update and must name the version it edits (If-Match): none is a 428, a stale one a 412.
 */
export function approveLessons(
  current: Lessons,
  edits: ApproveLessons,
  expectedVersion: number | undefined,
  now: string,
): { lessons: Lessons; changed: boolean } {
  const content = lessonsContent({ ...lessonsContent(current), ...edits });
  if (current.state === 'approved') {
    if (JSON.stringify(content) === JSON.stringify(lessonsContent(current))) return { lessons: current, changed: false };
    if (expectedVersion === undefined) {
      throw new DomainError('PRECONDITION_REQUIRED', 'The lessons are approved already: send If-Match with their version to change them', {
        currentVersion: current.version,
      });
    }
  }
  if (expectedVersion !== undefined && expectedVersion !== current.version) {
    throw new DomainError('PRECONDITION_FAILED', `The lessons are at version ${current.version}, not ${expectedVersion}`, {
      currentVersion: current.version,
    });
  }
  return { lessons: { ...current, ...content, state: 'approved', version: current.version + 1, approvedAt: now }, changed: true };
}

export interface MemorySource {
  campaignId: string;
  goalType: string;
  niche: string;
  durationDays: number;
  platforms: readonly { platform: Platform; postsPerWeek: number }[];
}

const asText = (lesson: Lesson) => (lesson.evidence ? `${lesson.text} (${lesson.evidence})` : lesson.text);

/** One learning memory per platform of the campaign: the lessons about that platform and the general ones. */
export function learningMemories(lessons: Lessons, source: MemorySource) {
  return source.platforms.map(({ platform, postsPerWeek }) => {
    const about = (list: readonly Lesson[]) =>
      list.filter((lesson) => lesson.platform === undefined || lesson.platform === platform).map(asText);
    return {
      goalType: source.goalType,
      platform,
      niche: source.niche,
      campaignId: source.campaignId,
      durationDays: source.durationDays,
      postsPerWeek,
      summary: lessons.summary,
      whatWorked: about(lessons.whatWorked),
      whatFailed: about(lessons.whatFailed),
      recommendations: about(lessons.recommendations),
      lessonsVersion: lessons.version,
      approvedAt: lessons.approvedAt,
      ...(lessons.approvedAt && {
        expiresAt: `${addDays(lessons.approvedAt.slice(0, 10), LESSON_TTL_DAYS)}${lessons.approvedAt.slice(10)}`,
      }),
      goalMetric: goalBasis[source.goalType] ?? 'engagement',
      findings: claimedFindings(lessons.findings ?? [])
        .filter((finding) => finding.postIds.arm.concat(finding.postIds.rest).some((id) => id.endsWith(`#${platform}`)))
        .map(({ dimension, arm, versus, claim, n, effect, interval, confidence }) => ({
          dimension,
          arm,
          versus,
          claim,
          n,
          effect,
          interval,
          confidence,
        })),
    };
  });
}
export type LearningMemoryItem = ReturnType<typeof learningMemories>[number];
