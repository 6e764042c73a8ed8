/**
 * The single-table key design (see docs/data-model.md). Every key of a creator's data starts
 * with the creator's id taken from the verified JWT, so a request can only address its own items.
 */
export const DUE_SHARDS = 16;

export const keys = {
  userPk: (userId: string) => `USER#${userId}`,
  user: (userId: string) => ({ PK: keys.userPk(userId), SK: 'USER' }),
  profile: (userId: string) => ({ PK: keys.userPk(userId), SK: 'PROFILE' }),
  campaign: (userId: string, campaignId: string) => ({ PK: keys.userPk(userId), SK: `CAMP#${campaignId}` }),
  /** Partition of the due-post index for one day and shard: spreads a day over DUE_SHARDS partitions. */
  duePk: (isoDate: string, shard: number) => `DUE#${isoDate}#${String(shard).padStart(2, '0')}`,
};

/** Deterministic shard of a due post, so a re-written item stays in the same partition. */
export function dueShard(userId: string, campaignId: string): number {
  let hash = 0;
  for (const char of `${userId}#${campaignId}`) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return hash % DUE_SHARDS;
}
