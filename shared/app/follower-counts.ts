import { followerHistory, recordFollowerCount } from '../db/follower-store';
import type { EmitterConfig } from '../events/emit';
import type { FollowerCount, FollowerCountRequest } from '../schemas/followers';
import { afterNewNumbers } from './new-numbers';

/**
 * PUT /profile/followers: the creator's own count of a platform on a date (`source: manual`); the
 * newest entry of a date wins. Then what new numbers set off: the pacing of followers goals.
 */
export async function recordOwnFollowerCount(config: EmitterConfig, userId: string, body: FollowerCountRequest, now: Date) {
  const entry: FollowerCount = { ...body, source: 'manual', recordedAt: now.toISOString() };
  await recordFollowerCount(config.TABLE_NAME, userId, entry);
  await afterNewNumbers(config, { followerCounts: [{ userId, platform: body.platform }] }, now);
  return { entry, history: await followerHistory(config.TABLE_NAME, userId, body.platform) };
}
