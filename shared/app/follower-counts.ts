import { followerHistory, recordFollowerCount } from '../db/follower-store';
import type { FollowerCount, FollowerCountRequest } from '../schemas/followers';

/** PUT /profile/followers: the creator's own count of a platform on a date (`source: manual`); the newest entry of a date wins. */
export async function recordOwnFollowerCount(table: string, userId: string, body: FollowerCountRequest, now: string) {
  const entry: FollowerCount = { ...body, source: 'manual', recordedAt: now };
  await recordFollowerCount(table, userId, entry);
  return { entry, history: await followerHistory(table, userId, body.platform) };
}
