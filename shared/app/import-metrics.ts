import { appendMetricsReports, campaignExecutions, readRunningCampaign, scheduledContent } from '../db/execution-store';
import { DomainError } from '../core/errors';
import { postKey } from '../domain/learning';
import { matchRows, readMetricsCsv, type PostedPost } from '../domain/metrics-import';
import type { EmitterConfig } from '../events/emit';
import type { MetricsImportReport } from '../schemas/execution';
import { afterNewNumbers } from './new-numbers';

/**
 * POST /campaigns/{id}/metrics/import: a CSV of per-post metrics read, matched to the campaign's
 * posted posts, and the matched rows appended to their histories (`source: manual`) in one
 * transaction, then what new numbers set off (hook styles, pacing). The report says which rows
 * matched (and how) and why the others did not.
 */
export async function importCampaignMetrics(
  config: EmitterConfig,
  userId: string,
  campaignId: string,
  csv: string,
  now: string,
): Promise<MetricsImportReport> {
  const table = config.TABLE_NAME;
  const campaign = await readRunningCampaign(table, userId, campaignId);
  if (campaign.status !== 'in_progress') {
    throw new DomainError(
      'CAMPAIGN_STATE_CONFLICT',
      `Metrics are imported only while the campaign is in_progress, not ${campaign.status}`,
      {
        currentStatus: campaign.status,
      },
    );
  }
  const { layout, rows } = readMetricsCsv(csv);
  const [content, executions] = await Promise.all([
    scheduledContent(table, userId, campaignId, 1, campaign.durationDays),
    campaignExecutions(table, userId, campaignId),
  ]);
  const executionOf = new Map(executions.map((execution) => [postKey(execution), execution]));
  const posts: PostedPost[] = content.flatMap((item) => {
    const execution = executionOf.get(postKey(item));
    return execution ? [{ day: item.day, platform: item.platform, date: item.date, execution }] : [];
  });
  const { matched, unmatched, reports } = matchRows(rows, posts, {
    platforms: campaign.platforms.map((plan) => plan.platform),
    timeZone: campaign.timeZone,
  });
  await appendMetricsReports(
    table,
    userId,
    campaignId,
    reports.map(({ day, platform, metrics }) => ({ day, platform, report: { reportedAt: now, metrics, source: 'manual' as const } })),
    now,
  );
  if (reports.length > 0) await afterNewNumbers(config, { campaigns: [{ userId, campaignId }] }, new Date(now));
  return { layout, rows: rows.length, applied: reports.length, matched, unmatched };
}
