import { logger } from '../core/logger';
import { getCampaignRecord } from '../db/campaign-store';
import { campaignExecutions, scheduledContent } from '../db/execution-store';
import { switchHookStyle } from '../db/hook-style-store';
import { reassignStyles, slotLockOf, withHook, type ExperimentSlot, type HookSet, type StyleChange } from '../domain/hook-styles';
import { executionScores, postKey } from '../domain/learning';
import { hookOf } from '../domain/platform-rules';
import { seededRandom } from '../domain/random';

/**
 * After a slot's metrics (confirm-day, the CSV import, the scheduled platform import): the
 * campaign's later slots that nobody has touched take the hook style Thompson sampling draws for
 * them (shared/domain/hook-styles.ts), and their opening switches to that style's hook, which the
 * writer wrote with the post: no model call. Best effort: the metrics are stored whatever happens
 * here, and the next metrics try again. Returns the changes made.
 */
export async function adaptHookStyles(table: string, userId: string, campaignId: string, now: string): Promise<StyleChange[]> {
  try {
    const campaign = await getCampaignRecord(table, userId, campaignId);
    const styles = campaign.experiments?.hookStyles;
    if (!styles || campaign.status !== 'in_progress' || !campaign.durationDays) return [];
    const [content, executions] = await Promise.all([
      scheduledContent(table, userId, campaignId, 1, campaign.durationDays),
      campaignExecutions(table, userId, campaignId),
    ]);
    const scores = executionScores(executions);
    const items = new Map(content.flatMap((item) => (item.hookStyle ? [[postKey(item), item]] : [])));
    const slots: ExperimentSlot[] = [...items.values()].map((item) => {
      const score = scores.get(postKey(item));
      const hooks: HookSet = item.hooks ?? {};
      const lock = slotLockOf(item);
      return {
        day: item.day,
        platform: item.platform,
        style: item.hookStyle!,
        ...lock,
        edited: lock.edited || hookOf(item) !== hooks[item.hookStyle!],
        ...(score?.status === 'scored' && { z: score.z }),
      };
    });
    const applied: StyleChange[] = [];
    for (const change of reassignStyles(slots, styles, now, seededRandom(`${campaignId}|hook-styles|${now}`))) {
      const item = items.get(postKey(change))!;
      const to = item.hooks?.[change.to];
      const switched = to ? withHook(item, item.hooks![change.from] ?? '', to) : undefined;
      if (!switched?.post) continue;
      const done = await switchHookStyle(
        table,
        userId,
        campaignId,
        { ...change, version: item.version, post: switched.post, ...(switched.script && { script: switched.script }) },
        now,
      );
      if (done) applied.push(change);
    }
    if (applied.length > 0) logger.info('hook styles re-assigned', { campaignId, changes: applied.length });
    return applied;
  } catch (error) {
    logger.error('could not re-assign hook styles; the next metrics try again', { campaignId, error });
    return [];
  }
}
