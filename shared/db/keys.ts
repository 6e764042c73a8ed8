/**
 * The single-table key design. Every key of a creator's data starts with `USER#<sub>`, the
 * creator's id taken from the verified JWT, so a request can only address its own items.
 *
 * | item             | PK                          | SK                                    | GSI1PK                     | GSI1SK                          |
 * | ---------------- | --------------------------- | ------------------------------------- | -------------------------- | ------------------------------- |
 * | user             | USER#<uid>                  | USER                                  |                            |                                 |
 * | profile          | USER#<uid>                  | PROFILE                               |                            |                                 |
 * | campaign header  | USER#<uid>                  | CAMP#<cid>                            | CAMPAIGNS#<uid>            | <createdAt>#<cid>               |
 * | agent output     | USER#<uid>                  | CAMP#<cid>#AGENT#<agent>              |                            |                                 |
 * | content item     | USER#<uid>                  | CAMP#<cid>#DAY#<dd>#<platform>        | DUE#<utc day>#<shard>      | <utc hh:mm>#<uid>#<cid>#<platform> |
 * | post execution   | USER#<uid>                  | CAMP#<cid>#EXEC#<dd>#<platform>       | METRICSDUE#<shard> (with a platform id) | <next checkpoint ISO>#<uid>#<cid>#<dd>#<platform> |
 * | pacing marker    | USER#<uid>                  | CAMP#<cid>#PACING (from generation's end) | PACINGDUE#<shard>      | <next evaluation ISO>#<uid>#<cid> |
 * | idempotency key  | USER#<uid>                  | IDEM#<key>                            |                            |                                 |
 * | learning memory  | USER#<uid>                  | MEM#<goalType>#<platform>#<cid>       |                            |                                 |
 * | job              | USER#<uid>                  | JOB#<jobId>                           |                            |                                 |
 * | monthly usage    | USER#<uid>                  | USAGE#<yyyy-mm>                       |                            |                                 |
 * | meter marker     | USER#<uid>                  | METER#<task token> (TTL 40 days)      |                            |                                 |
 * | deletion request | USER#<uid>                  | DELETION                              |                            |                                 |
 * | running job lock | USER#<uid>                  | ACTIVEJOB#<kind> (export, delete)     |                            |                                 |
 * | rate window      | RATE#<uid>                  | W#<epoch minute> (TTL)                |                            |                                 |
 * | webhook delivery | SVIX#<svix-id>              | SVIX (TTL)                            |                            |                                 |
 * | notification     | USER#<uid>                  | NOTIF#<eventId>  (TTL expiresAt)      |                            |                                 |
 * | webhook          | USER#<uid>                  | WEBHOOK#<webhookId>                   |                            |                                 |
 * | webhook delivery | USER#<uid>                  | DELIVERY#<webhookId>#<deliveryId> (TTL) |                          |                                 |
 * | re-plan          | USER#<uid>                  | CAMP#<cid>#REPLAN#<nnnn> (status, reason, dates) |                 |                                 |
 * | re-plan change   | USER#<uid>                  | CAMP#<cid>#REPLANCHG#<nnnn>#<dd>#<platform> (before, after, why) |   |                                 |
 * | posting slots    | USER#<uid>                  | POSTTIMES#<cid>                       |                            |                                 |
 * | asset            | USER#<uid>                  | ASSET#<assetId>                       |                            |                                 |
 * | follower count   | USER#<uid>                  | FOLLOWERS#<platform>#<date>#<source>  |                            |                                 |
 * | own Gemini key   | USER#<uid>                  | AIKEY (sealed key, last4, dates)      |                            |                                 |
 * | API key          | USER#<uid>                  | APIKEY#<keyId> (name, scopes, prefix, last 4, expiry; no hash) |           |                                 |
 * | API key lookup   | APIKEY#<keyId>              | APIKEY (userId, scopes, expiry, SHA-256 of the key) |              |                                 |
 * | connection       | USER#<uid>                  | CONN#<platform> (account, status, sealed tokens) | FOLLOWERSDUE#<shard> | <next read ISO>#<uid>#<platform> |
 * | OAuth state      | OAUTH#<state>               | OAUTH (userId, platform, PKCE verifier; TTL 10 min) |             |                                 |
 * | daily publishes  | USER#<uid>                  | PUBCOUNT#<platform>#<utc day> (n; TTL) |                           |                                 |
 *
 * Access patterns:
 * - profile, user, one campaign header, one content item: GetItem.
 * - a campaign with its agent outputs (GET /campaigns/{id}): one Query,
 *   `SK BETWEEN CAMP#<cid> AND CAMP#<cid>#AGENT#~` — `#AGENT#` sorts before `#DAY#`, so content
 *   items (the bulk) are not read.
 * - a campaign's content, optionally a day range: Query `SK BETWEEN CAMP#<cid>#DAY#<from> AND CAMP#<cid>#DAY#<to>#~`.
 * - a campaign's post confirmations (outcome report, lessons): Query `begins_with(SK, CAMP#<cid>#EXEC#)`.
 * - everything of a campaign (delete, stats): Query `begins_with(SK, CAMP#<cid>)`; ids are fixed-length
 *   UUIDs, so no campaign's prefix is another's.
 * - learning memories (start ranks them and freezes the relevant ones into the campaign): Query `begins_with(SK, MEM#)`, all goal types.
 * - follower counts (PUT /profile/followers, the report, the goal): Query `begins_with(SK, FOLLOWERS#[<platform>#])`.
 * - one job (GET /jobs/{id}): GetItem. A creator's jobs, newest first (GET /jobs): Query
 *   `begins_with(SK, JOB#)` descending. Job ids are ULIDs (time-sortable), so no GSI entry is needed.
 * - the account (GET /account): GetItem of the user and of the month's usage; active campaigns:
 *   Query GSI1 `CAMPAIGNS#<uid>` with a status filter (starts only; eventually consistent in the cloud).
 * - the one running export or deletion of a creator: GetItem of `ACTIVEJOB#<kind>` (the job id), replaced
 *   with a transaction conditioned on the job id read, so two requests at once start one job.
 * - everything of a creator (export, account deletion): Query `PK = USER#<uid>` page by page, plus
 *   `PK = RATE#<uid>` and the API key lookups `APIKEY#<keyId>` named by the partition's `APIKEY#` items
 *   (deletion); nothing else carries the user id (SVIX# markers hold the svix id
 *   and event type only, GSI1 entries vanish with their items).
 * - the rate limiter: one UpdateItem of the minute's window per request; its own partition
 *   (`RATE#<uid>`), so read-only functions may write it and nothing else (IAM LeadingKeys).
 * - a replayed Clerk webhook: conditional Put of its `SVIX#<svix-id>` marker.
 * - a creator's notifications, newest first (GET /notifications): Query `begins_with(SK, NOTIF#)` descending;
 *   event ids are ULIDs of the event's time, so no GSI entry is needed; `unread` is a FilterExpression.
 * - a creator's webhooks (GET /webhooks, and every emitted event): Query `begins_with(SK, WEBHOOK#)`.
 * - a webhook's deliveries, newest first: Query `begins_with(SK, DELIVERY#<webhookId>#)` descending.
 * - a creator's observed posting slots (GET /profile/insights, the next campaign's start): Query
 *   `begins_with(SK, POSTTIMES#)`: one item per completed campaign.
 * - one asset (GET/DELETE /assets/{id}, the upload checker): GetItem. A creator's assets, newest first
 *   (GET /assets): Query `begins_with(SK, ASSET#)` descending (ULID ids), `type` as a FilterExpression.
 * - the creator's own Gemini key (GET/PUT/DELETE /account/ai-key, every agent call of theirs, the
 *   quota checks): GetItem of `AIKEY`.
 * - a creator's API keys, newest first (GET /api-keys): Query `begins_with(SK, APIKEY#)` descending (ULID ids).
 *   A key and its lookup item are written and deleted together in one transaction; the lookup item
 *   is outside the creator's partition (the authorizer knows only the key, whose id it carries), so
 *   the account deletion finds lookups through the creator's `APIKEY#` items and deletes them first.
 * - authenticating an API key (the Lambda authorizer): GetItem `APIKEY#<keyId>` / `APIKEY`, the only
 *   items its role may read (IAM LeadingKeys `APIKEY#*`).
 * - a creator's campaigns, newest first: Query GSI1 `GSI1PK = CAMPAIGNS#<uid>`, descending.
 * - posts due in a window, across creators: Query GSI1 `GSI1PK = DUE#<day>#<shard> AND GSI1SK BETWEEN`,
 *   one Query per shard: a day is spread over DUE_SHARDS partitions.
 * - posts whose next metrics checkpoint has come (the scheduled import): Query GSI1
 *   `GSI1PK = METRICSDUE#<shard> AND GSI1SK <= <now>` per shard; only an execution with a platform id
 *   has the entry, it moves to the next checkpoint when one is fetched and goes after the last (7 days).
 * - connections whose daily follower count is due: Query GSI1 `GSI1PK = FOLLOWERSDUE#<shard> AND GSI1SK <= <now>`.
 * - running campaigns whose daily pacing evaluation is due: Query GSI1 `GSI1PK = PACINGDUE#<shard> AND GSI1SK <= <now>`
 *   (oldest first, a bounded page per run).
 * No access pattern scans.
 */
export const DUE_SHARDS = 16;
/** Sorts after every character used in ids and names: the upper bound of a prefix range. */
export const RANGE_END = '~';

const pad2 = (day: number) => String(day).padStart(2, '0');

export const keys = {
  userPk: (userId: string) => `USER#${userId}`,
  user: (userId: string) => ({ PK: keys.userPk(userId), SK: 'USER' }),
  profile: (userId: string) => ({ PK: keys.userPk(userId), SK: 'PROFILE' }),
  campaignSk: (campaignId: string) => `CAMP#${campaignId}`,
  campaign: (userId: string, campaignId: string) => ({ PK: keys.userPk(userId), SK: keys.campaignSk(campaignId) }),
  campaignListPk: (userId: string) => `CAMPAIGNS#${userId}`,
  campaignListSk: (createdAt: string, campaignId: string) => `${createdAt}#${campaignId}`,
  agentOutput: (userId: string, campaignId: string, agent: string) => ({
    PK: keys.userPk(userId),
    SK: `${keys.campaignSk(campaignId)}#AGENT#${agent}`,
  }),
  contentSkPrefix: (campaignId: string) => `${keys.campaignSk(campaignId)}#DAY#`,
  /** A campaign's re-plans (`n` zero-padded so they sort) and, apart, each one's changes (`REPLANCHG`, not under the re-plans' prefix). */
  replanSkPrefix: (campaignId: string) => `${keys.campaignSk(campaignId)}#REPLAN#`,
  replan: (userId: string, campaignId: string, n: number) => ({
    PK: keys.userPk(userId),
    SK: `${keys.campaignSk(campaignId)}#REPLAN#${String(n).padStart(4, '0')}`,
  }),
  replanChangeSkPrefix: (campaignId: string, n: number) => `${keys.campaignSk(campaignId)}#REPLANCHG#${String(n).padStart(4, '0')}#`,
  replanChange: (userId: string, campaignId: string, n: number, day: number, platform: string) => ({
    PK: keys.userPk(userId),
    SK: `${keys.replanChangeSkPrefix(campaignId, n)}${String(day).padStart(2, '0')}#${platform}`,
  }),
  content: (userId: string, campaignId: string, day: number, platform: string) => ({
    PK: keys.userPk(userId),
    SK: `${keys.contentSkPrefix(campaignId)}${pad2(day)}#${platform}`,
  }),
  contentDayRange: (campaignId: string, fromDay: number, toDay: number) => ({
    from: `${keys.contentSkPrefix(campaignId)}${pad2(fromDay)}`,
    to: `${keys.contentSkPrefix(campaignId)}${pad2(toDay)}#${RANGE_END}`,
  }),
  executionSkPrefix: (campaignId: string) => `${keys.campaignSk(campaignId)}#EXEC#`,
  execution: (userId: string, campaignId: string, day: number, platform: string) => ({
    PK: keys.userPk(userId),
    SK: `${keys.executionSkPrefix(campaignId)}${pad2(day)}#${platform}`,
  }),
  memoryPrefix: (goalType: string) => `MEM#${goalType}#`,
  memory: (userId: string, goalType: string, platform: string, campaignId: string) => ({
    PK: keys.userPk(userId),
    SK: `${keys.memoryPrefix(goalType)}${platform}#${campaignId}`,
  }),
  MEMORY_SK_PREFIX: 'MEM#',
  followerCountPrefix: (platform?: string) => `FOLLOWERS#${platform ? `${platform}#` : ''}`,
  followerCount: (userId: string, platform: string, date: string, source: string) => ({
    PK: keys.userPk(userId),
    SK: `${keys.followerCountPrefix(platform)}${date}#${source}`,
  }),
  postingTimesPrefix: 'POSTTIMES#',
  postingTimes: (userId: string, campaignId: string) => ({ PK: keys.userPk(userId), SK: `POSTTIMES#${campaignId}` }),
  jobSkPrefix: 'JOB#',
  job: (userId: string, jobId: string) => ({ PK: keys.userPk(userId), SK: `JOB#${jobId}` }),
  notificationSkPrefix: 'NOTIF#',
  notification: (userId: string, notificationId: string) => ({ PK: keys.userPk(userId), SK: `NOTIF#${notificationId}` }),
  webhookSkPrefix: 'WEBHOOK#',
  webhook: (userId: string, webhookId: string) => ({ PK: keys.userPk(userId), SK: `WEBHOOK#${webhookId}` }),
  deliverySkPrefix: (webhookId: string) => `DELIVERY#${webhookId}#`,
  delivery: (userId: string, webhookId: string, deliveryId: string) => ({
    PK: keys.userPk(userId),
    SK: `${keys.deliverySkPrefix(webhookId)}${deliveryId}`,
  }),
  assetSkPrefix: 'ASSET#',
  asset: (userId: string, assetId: string) => ({ PK: keys.userPk(userId), SK: `ASSET#${assetId}` }),
  aiKeySk: 'AIKEY',
  aiKey: (userId: string) => ({ PK: keys.userPk(userId), SK: keys.aiKeySk }),
  apiKeySkPrefix: 'APIKEY#',
  apiKey: (userId: string, keyId: string) => ({ PK: keys.userPk(userId), SK: `APIKEY#${keyId}` }),
  API_KEY_LOOKUP_PK_PREFIX: 'APIKEY#',
  apiKeyLookup: (keyId: string) => ({ PK: `${keys.API_KEY_LOOKUP_PK_PREFIX}${keyId}`, SK: 'APIKEY' }),
  connectionSkPrefix: 'CONN#',
  connection: (userId: string, platform: string) => ({ PK: keys.userPk(userId), SK: `CONN#${platform}` }),
  oauthState: (state: string) => ({ PK: `OAUTH#${state}`, SK: 'OAUTH' }),
  publishCount: (userId: string, platform: string, day: string) => ({ PK: keys.userPk(userId), SK: `PUBCOUNT#${platform}#${day}` }),
  idempotency: (userId: string, key: string) => ({ PK: keys.userPk(userId), SK: `IDEM#${key}` }),
  usage: (userId: string, month: string) => ({ PK: keys.userPk(userId), SK: `USAGE#${month}` }),
  meter: (userId: string, token: string) => ({ PK: keys.userPk(userId), SK: `METER#${token}` }),
  deletionRequest: (userId: string) => ({ PK: keys.userPk(userId), SK: 'DELETION' }),
  activeJob: (userId: string, kind: 'export' | 'delete') => ({ PK: keys.userPk(userId), SK: `ACTIVEJOB#${kind}` }),
  RATE_PK_PREFIX: 'RATE#',
  rateWindow: (userId: string, windowStart: number) => ({ PK: `${keys.RATE_PK_PREFIX}${userId}`, SK: `W#${windowStart}` }),
  webhookDelivery: (svixId: string) => ({ PK: `SVIX#${svixId}`, SK: 'SVIX' }),
  /** Partition of the due-post index for one UTC day and shard. */
  duePk: (isoDate: string, shard: number) => `DUE#${isoDate}#${pad2(shard)}`,
  metricsDuePk: (shard: number) => `METRICSDUE#${pad2(shard)}`,
  metricsDueSk: (at: string, userId: string, campaignId: string, day: number, platform: string) =>
    `${at}#${userId}#${campaignId}#${pad2(day)}#${platform}`,
  followersDuePk: (shard: number) => `FOLLOWERSDUE#${pad2(shard)}`,
  followersDueSk: (at: string, userId: string, platform: string) => `${at}#${userId}#${platform}`,
  /** Sorts after the campaign's agent outputs, so the header-and-outputs Query never reads it; deleted with the campaign. */
  pacingMarker: (userId: string, campaignId: string) => ({ PK: keys.userPk(userId), SK: `${keys.campaignSk(campaignId)}#PACING` }),
  pacingDuePk: (shard: number) => `PACINGDUE#${pad2(shard)}`,
  pacingDueSk: (at: string, userId: string, campaignId: string) => `${at}#${userId}#${campaignId}`,
  dueSk: (utcTime: string, userId: string, campaignId: string, platform: string) => `${utcTime}#${userId}#${campaignId}#${platform}`,
};

/** A post's entry in the due-post index (GSI1) at its UTC due time. */
export function dueIndexEntry(dueAt: string, userId: string, campaignId: string, platform: string) {
  return {
    GSI1PK: keys.duePk(dueAt.slice(0, 10), dueShard(userId, campaignId)),
    GSI1SK: keys.dueSk(dueAt.slice(11, 16), userId, campaignId, platform),
  };
}

/** Deterministic shard of a due post, so a re-written item stays in the same partition. */
export function dueShard(userId: string, campaignId: string): number {
  let hash = 0;
  for (const char of `${userId}#${campaignId}`) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return hash % DUE_SHARDS;
}

/** The prefix presigned uploads land in; the bucket expires what stays there (infra/stack.ts). */
export const UPLOADS_PREFIX = 'uploads/';

/** S3 keys and prefixes of a creator's media. */
export const mediaPrefix = {
  /** Everything a campaign stores (thumbnails, large outputs). */
  campaign: (userId: string, campaignId: string) => `users/${userId}/campaigns/${campaignId}/`,
  /** Everything a creator stores (exported and deleted with the account). */
  creator: (userId: string) => `users/${userId}/`,
  /** The creator's account exports (a lifecycle rule expires `exports/` after 7 days); deleted with the account. */
  exports: (userId: string) => `exports/${userId}/`,
  export: (userId: string, jobId: string) => `exports/${userId}/${jobId}.zip`,
  /** The creator's unchecked uploads (deleted with the account; the bucket expires them after 2 days). */
  uploads: (userId: string) => `${UPLOADS_PREFIX}${userId}/`,
  /** Where the presigned POST of one asset puts the object, before it is checked. */
  upload: (userId: string, assetId: string) => `${UPLOADS_PREFIX}${userId}/${assetId}`,
  /** An accepted asset's object. */
  asset: (userId: string, assetId: string) => `users/${userId}/assets/${assetId}`,
};

/** The creator and asset an upload key names (`uploads/<uid>/<assetId>`), or undefined for any other key. */
export function parseUploadKey(key: string): { userId: string; assetId: string } | undefined {
  const match = /^uploads\/(.+)\/([^/]+)$/.exec(key);
  return match ? { userId: match[1], assetId: match[2] } : undefined;
}
