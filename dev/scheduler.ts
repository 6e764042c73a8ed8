import { randomUUID } from 'node:crypto';
import type { ScheduledEvent } from 'aws-lambda';
import { invokeLocal } from './lambda-runtime';

export const LOCAL_REGION = 'us-east-1';
export const LOCAL_ACCOUNT = '000000000000';

/** The event EventBridge sends a schedule target. */
export function scheduledEvent(ruleName: string, at: Date): ScheduledEvent {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: LOCAL_ACCOUNT,
    time: at.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: LOCAL_REGION,
    resources: [`arn:aws:events:${LOCAL_REGION}:${LOCAL_ACCOUNT}:rule/${ruleName}`],
    detail: {},
  };
}

const UNIT_MS: Record<string, number> = {
  minute: 60_000,
  minutes: 60_000,
  hour: 3_600_000,
  hours: 3_600_000,
  day: 86_400_000,
  days: 86_400_000,
};

/** Period of an EventBridge `rate(...)` expression; cron expressions are not emulated. */
export function rateToMs(expression: string): number {
  const match = /^rate\((\d+) (minutes?|hours?|days?)\)$/.exec(expression);
  if (!match) throw new Error(`Only rate(...) schedules are emulated locally, got ${expression}`);
  return Number(match[1]) * UNIT_MS[match[2]];
}

export interface ScheduleRule {
  logicalId: string;
  scheduleExpression: string;
  entry: string;
}

/** Invokes each rule's target on its period, like the cloud rule; returns a stop function. */
export function startScheduler(rules: ScheduleRule[], log: (line: string) => void): () => void {
  const timers = rules.map((rule) =>
    setInterval(() => {
      invokeLocal(rule.entry, scheduledEvent(rule.logicalId, new Date()), rule.logicalId).then(
        (result) => log(`[scheduler] ${rule.logicalId} → ${JSON.stringify(result)}`),
        (error: Error) => log(`[scheduler] ${rule.logicalId} failed: ${error.message}`),
      );
    }, rateToMs(rule.scheduleExpression)),
  );
  return () => timers.forEach(clearInterval);
}
