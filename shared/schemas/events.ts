/** What happens to a creator's campaigns that notifications, webhooks and the event bus carry (shared/domain/events.ts). */
export const eventTypes = ['campaign.generated', 'campaign.failed', 'post.due', 'campaign.completed'] as const;
export type EventType = (typeof eventTypes)[number];

/** Notifications a creator gets that are not events of a campaign (no webhook, no bus). */
export const notificationOnlyTypes = ['webhook.disabled'] as const;
export const notificationTypes = [...eventTypes, ...notificationOnlyTypes] as const;
export type NotificationType = (typeof notificationTypes)[number];
