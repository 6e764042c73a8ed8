import type { Platform } from '../schemas/common';
import type { MemoryChoices } from '../schemas/campaign';
import { LESSON_TTL_DAYS } from './evidence';
import { goalBasis } from './outcome';
import { daysBetween } from './schedule';
import { plural } from './wording';

/**
 * Which of the creator's learning memories a new campaign applies: every memory is read (all goal
 * types), ranked by what it shares with the campaign — platform (3), goal metric (2), niche (1) —
 * and by recency (up to 1, falling to 0 at 180 days). An expired memory, or one that shares
 * nothing, is skipped with its reason; so is one beyond the MAX_APPLIED most relevant.
 */

export const MAX_APPLIED = 5;

/** A memory as stored: items written before this ranking lack the newer fields, and are read as they are. */
export interface StoredMemory {
  memory: string;
  goalType?: string;
  platform?: string;
  niche?: string;
  campaignId?: string;
  approvedAt?: string;
  expiresAt?: string;
}

export interface MemoryTarget {
  goalType: string;
  platforms: readonly Platform[];
  niche: string;
  now: string;
}

const words = (text: string | undefined) =>
  new Set(
    (text ?? '')
      .toLowerCase()
      .split(/[^\p{L}\p{N}]+/u)
      .filter((word) => word.length > 2),
  );

const sharesNiche = (a: string | undefined, b: string) => {
  const mine = words(a);
  return [...words(b)].some((word) => mine.has(word));
};

/** The campaign a memory came from: its own field, or the last part of its id (`MEM#<goal>#<platform>#<cid>`). */
export const memoryCampaign = (memory: Pick<StoredMemory, 'memory' | 'campaignId'>) =>
  memory.campaignId ?? memory.memory.split('#').at(-1)!;

export function rankMemories<T extends StoredMemory>(
  memories: readonly T[],
  target: MemoryTarget,
): { applied: T[]; choices: MemoryChoices } {
  const today = target.now.slice(0, 10);
  const metric = goalBasis[target.goalType] ?? 'engagement';
  const ranked: { memory: T; score: number; why: string }[] = [];
  const skipped: MemoryChoices['skipped'] = [];
  for (const memory of memories) {
    const learned = memory.approvedAt?.slice(0, 10);
    const age = learned ? Math.max(0, daysBetween(learned, today)) : undefined;
    const expired = memory.expiresAt ? memory.expiresAt < target.now : age !== undefined && age > LESSON_TTL_DAYS;
    if (expired) {
      skipped.push({
        memory: memory.memory,
        why: `expired: learned ${plural(age ?? LESSON_TTL_DAYS, 'day')} ago, lessons last ${LESSON_TTL_DAYS} days`,
      });
      continue;
    }
    const samePlatform = target.platforms.includes(memory.platform as Platform);
    const sameMetric = memory.goalType !== undefined && (goalBasis[memory.goalType] ?? 'engagement') === metric;
    const sameNiche = sharesNiche(memory.niche, target.niche);
    if (!samePlatform && !sameMetric && !sameNiche) {
      skipped.push({ memory: memory.memory, why: 'unrelated: another platform, goal metric and niche' });
      continue;
    }
    const recency = age === undefined ? 0 : Math.max(0, 1 - age / LESSON_TTL_DAYS);
    const reasons = [
      samePlatform ? `same platform (${memory.platform})` : '',
      sameMetric ? `same goal metric (${metric})` : '',
      sameNiche ? 'same niche' : '',
      age !== undefined ? `learned ${plural(age, 'day')} ago` : '',
    ].filter(Boolean);
    ranked.push({ memory, score: (samePlatform ? 3 : 0) + (sameMetric ? 2 : 0) + (sameNiche ? 1 : 0) + recency, why: reasons.join(', ') });
  }
  ranked.sort((a, b) => b.score - a.score || a.memory.memory.localeCompare(b.memory.memory));
  const applied = ranked.slice(0, MAX_APPLIED);
  for (const { memory, why } of ranked.slice(MAX_APPLIED))
    skipped.push({ memory: memory.memory, why: `less relevant than the ${MAX_APPLIED} applied (${why})` });
  return {
    applied: applied.map(({ memory }) => memory),
    choices: {
      applied: applied.map(({ memory, score, why }) => ({
        memory: memory.memory,
        campaignId: memoryCampaign(memory),
        relevance: Math.round(score * 100) / 100,
        why,
      })),
      skipped,
    },
  };
}
