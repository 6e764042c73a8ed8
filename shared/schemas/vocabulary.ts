/**
 * The closed lists the contracts enumerate: statuses, steps, types, scopes. Plain constants with no
 * zod and no side effects, so domain/ and a small bundle (the authorizer) import them without the
 * schemas that register OpenAPI components.
 */

/** Job statuses (shared/domain/jobs.ts has the transitions). */
export const jobStatuses = ['queued', 'running', 'succeeded', 'failed'] as const;
export type JobStatus = (typeof jobStatuses)[number];

/** The steps of a regeneration, in order; progress.percent follows them. */
export const regenerateSteps = ['queued', 'writing', 'critique', 'thumbnail', 'done'] as const;
export type RegenerateStep = (typeof regenerateSteps)[number];

/** The steps of completing a campaign: the numbers from the confirmed posts, then the reporter. */
export const completeSteps = ['queued', 'measuring', 'reporting', 'done'] as const;
export type CompleteStep = (typeof completeSteps)[number];

/** The steps of analyzing the creator's profile (the context analyzer, POST /profile/analyze). */
export const analyzeSteps = ['queued', 'analyzing', 'done'] as const;
export type AnalyzeStep = (typeof analyzeSteps)[number];

/** The steps of an account export (GET /account/export): every item and object read, then the ZIP written. */
export const exportSteps = ['queued', 'collecting', 'zipping', 'done'] as const;
export type ExportStep = (typeof exportSteps)[number];

/** The steps of an account deletion (DELETE /account): executions stopped, objects, then items. */
export const deleteSteps = ['queued', 'stopping', 'objects', 'items', 'done'] as const;
export type DeleteStep = (typeof deleteSteps)[number];

/** Campaign statuses (shared/domain/campaign-status.ts has the transitions). */
export const campaignStatuses = ['onboarding_incomplete', 'ready_to_start', 'generating', 'in_progress', 'completed', 'failed'] as const;
export type CampaignStatus = (typeof campaignStatuses)[number];

/** Creator assets (shared/domain/assets.ts has the caps and the checker). */
export const assetTypes = ['image/png', 'image/jpeg', 'image/webp', 'image/gif', 'video/mp4', 'application/pdf'] as const;
export type AssetType = (typeof assetTypes)[number];
export const assetPurposes = ['logo', 'brand-image', 'reference-photo', 'brand-guidelines', 'other'] as const;
export const assetStatuses = ['pending', 'ready', 'rejected'] as const;
export type AssetStatus = (typeof assetStatuses)[number];

/** Stable reasons of a rejected upload (README's asset flow). */
export const rejectionReasons = [
  'empty',
  'too_large',
  'type_mismatch',
  'malformed',
  'polyglot',
  'trailing_data',
  'active_content',
] as const;
export type RejectionReason = (typeof rejectionReasons)[number];

/** What an API key may do (shared/domain/api-keys.ts). */
export const apiKeyScopes = ['campaigns:read', 'campaigns:write', 'schedule:read', 'webhooks:write'] as const;
export type ApiKeyScope = (typeof apiKeyScopes)[number];

/** Webhook subscriptions and their deliveries (shared/domain/webhooks.ts). */
export const webhookStatuses = ['active', 'disabled'] as const;
export type WebhookStatus = (typeof webhookStatuses)[number];
export const deliveryStatuses = ['pending', 'succeeded', 'failed'] as const;
export type DeliveryStatus = (typeof deliveryStatuses)[number];

/** What happens to a creator's campaigns that notifications, webhooks and the event bus carry (shared/domain/events.ts). */
export const eventTypes = [
  'campaign.generated',
  'campaign.failed',
  'post.due',
  'campaign.completed',
  'post.failed',
  'connection.needs_reauth',
  'campaign.behind',
  'campaign.replanned',
] as const;
export type EventType = (typeof eventTypes)[number];

/** Notifications a creator gets that are not events of a campaign (no webhook, no bus). */
export const notificationOnlyTypes = ['webhook.disabled'] as const;
export const notificationTypes = [...eventTypes, ...notificationOnlyTypes] as const;
export type NotificationType = (typeof notificationTypes)[number];

/** The platforms Crescendo can connect to (a connector each: shared/connectors/index.ts) and a connection's statuses. */
export const connectedPlatforms = ['x', 'bluesky'] as const;
export type ConnectedPlatform = (typeof connectedPlatforms)[number];
export const connectionStatuses = ['active', 'needs_reauth'] as const;
export type ConnectionStatus = (typeof connectionStatuses)[number];

/** Per campaign and platform: remind the creator when a post is due (default), or publish it through the connection. */
export const publishModes = ['remind', 'auto'] as const;
export type PublishMode = (typeof publishModes)[number];

/** A campaign's goal pacing (shared/domain/pacing.ts): its status and what a measurable goal is measured by. */
export const pacingStatuses = ['ahead', 'on_track', 'behind', 'not_measurable'] as const;
export type PacingStatus = (typeof pacingStatuses)[number];
export const pacingBases = ['followerCounts', 'followersGained', 'views', 'engagement'] as const;
export type PacingBasis = (typeof pacingBases)[number];
/** The hook styles a campaign may test across its slots (`experiments.hookStyles`, shared/domain/hook-styles.ts). */
export const hookStyles = ['question', 'number', 'story', 'contrarian'] as const;
export type HookStyle = (typeof hookStyles)[number];

/** The numbers a post's metrics may carry (a confirmation, an import, a platform read). */
export const metricFields = ['views', 'likes', 'comments', 'shares', 'saves', 'followersGained', 'clicks', 'watchTimeSeconds'] as const;

/** The checkpoints after posting at which the scheduled import reads a post's metrics (shared/domain/metrics-checkpoints.ts). */
export const metricsCheckpointNames = ['1h', '24h', '72h', '7d'] as const;

/** The CSV layouts a metrics import recognizes (shared/domain/metrics-import.ts). */
export const importLayouts = ['crescendo', 'youtube-studio', 'x-analytics'] as const;
