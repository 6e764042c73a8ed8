import { getCampaignRecord } from '../db/campaign-store';
import { keys } from '../db/keys';
import { getLessons, saveApproval } from '../db/report-store';
import { approveLessons, learningMemories, type MemorySource } from '../domain/lessons';
import type { ApproveLessons, Lessons } from '../schemas/report';

/**
 * PATCH /campaigns/{id}/approve-lessons: the creator's edits applied to the lessons, approved,
 * and one learning memory per platform of the campaign (goal type, platform, niche, what worked /
 * failed, recommendations, duration, frequency) written with them in one transaction.
 */
export async function approveCampaignLessons(
  table: string,
  userId: string,
  campaignId: string,
  edits: ApproveLessons,
  expectedVersion: number | undefined,
  now: string,
): Promise<Lessons> {
  const current = await getLessons(table, userId, campaignId);
  const { lessons, changed } = approveLessons(current, edits, expectedVersion, now);
  if (!changed) return lessons;
  const campaign = await getCampaignRecord(table, userId, campaignId, false);
  const memories = learningMemories(lessons, {
    campaignId,
    goalType: String((campaign.goal as { type: string }).type),
    niche: String((campaign.profileSnapshot as { niche?: string } | undefined)?.niche ?? ''),
    durationDays: Number(campaign.durationDays),
    platforms: campaign.platforms as MemorySource['platforms'],
  });
  const approved = { ...lessons, memories: memories.map((memory) => keys.memory(userId, memory.goalType, memory.platform, campaignId).SK) };
  await saveApproval(table, userId, approved, current.version, memories, now);
  return approved;
}
