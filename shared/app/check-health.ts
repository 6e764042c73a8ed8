import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../db/client';
import { logger } from '../core/logger';
import type { Health } from '../schemas/system';

/** A single-key read of a reserved item: proves the table answers without Scan or control-plane calls. */
export async function checkHealth(table: string, version: string): Promise<Health> {
  const started = performance.now();
  let ok = true;
  try {
    await dynamo.send(new GetCommand({ TableName: table, Key: { PK: 'HEALTH', SK: 'HEALTH' } }));
  } catch (error) {
    logger.warn('table health check failed', { error: error as Error });
    ok = false;
  }
  const latencyMs = Math.round(performance.now() - started);
  return { status: ok ? 'ok' : 'degraded', version, checks: { table: { ok, latencyMs } } };
}
