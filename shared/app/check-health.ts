import { pingTable } from '../db/health-store';
import { logger } from '../core/logger';
import type { Health } from '../schemas/system';

/** The table's health: one read of a reserved item (shared/db/health-store.ts), and how long it took. */
export async function checkHealth(table: string, version: string): Promise<Health> {
  const started = performance.now();
  let ok = true;
  try {
    await pingTable(table);
  } catch (error) {
    logger.warn('table health check failed', { error: error as Error });
    ok = false;
  }
  const latencyMs = Math.round(performance.now() - started);
  return { status: ok ? 'ok' : 'degraded', version, checks: { table: { ok, latencyMs } } };
}
