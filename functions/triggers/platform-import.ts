import type { ScheduledEvent } from 'aws-lambda';
import { importFromPlatforms } from '../../shared/app/platform-import';
import { readConfig } from '../../shared/core/config';

const config = readConfig(['TABLE_NAME', 'EVENT_BUS_NAME', 'WEBHOOK_DELIVERY_FUNCTION_NAME']);

/** EventBridge schedule target (every hour): metrics at their checkpoints and the daily follower counts (shared/app/platform-import.ts). */
export async function handler(event: Pick<ScheduledEvent, 'time'>) {
  return importFromPlatforms(config, new Date(event.time));
}
