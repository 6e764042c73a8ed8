import * as z from '../schemas/zod';
import { weekOf } from './batch';
import { failureMessage } from './mark-failed';

/**
 * The campaign is generated week by week (infra/workflow.ts, the Weeks Map): each week is written,
 * critiqued and illustrated on its own, then ready (its posts due-indexed, `readyAt` on each, the
 * week in `progress.weeksReady`). A week that fails ends only its own iteration; the campaign then
 * fails naming it, and its retry plans and generates only the weeks not ready.
 */

/** One iteration's result: a ready week's (the thumbnail task's output) or a failed one's `{ week, step, error }`. */
const weekOutcomeSchema = z.object({
  week: z.number().check(z.int()),
  step: z.optional(z.string()),
  error: z.optional(z.object({ Error: z.string(), Cause: z.optional(z.string()) })),
});

/** The Weeks Map's results as Finalize receives them (`$.weeks`; absent or malformed: none). */
export function parseWeekOutcomes(input: unknown): z.infer<typeof weekOutcomeSchema>[] {
  const parsed = z.object({ weeks: z.array(weekOutcomeSchema) }).safeParse(input);
  return parsed.success ? parsed.data.weeks : [];
}

const listed = (weeks: readonly number[]) => (weeks.length === 1 ? `week ${weeks[0]}` : `weeks ${weeks.join(', ')}`);

/**
 * The campaign's failure when a week failed: the first failed week's step and error, its message
 * naming every failed week and the ready ones kept. Undefined when none failed.
 */
export function weeksFailure(outcomes: readonly z.infer<typeof weekOutcomeSchema>[], ready: readonly number[]) {
  const failed = outcomes.filter((outcome) => outcome.error).sort((a, b) => a.week - b.week);
  if (failed.length === 0) return undefined;
  const [first] = failed;
  const weeks = failed.map((outcome) => outcome.week);
  const kept = [...ready].sort((a, b) => a - b);
  const cause = [
    `${listed(weeks)} failed (${first.error!.Error}: ${failureMessage(first.error!.Cause, first.error!.Error)})`,
    kept.length ? `${listed(kept)} ready and kept; a retry regenerates only the failed weeks` : 'a retry regenerates them',
  ].join('; ');
  return { weeks, failedStep: first.step ?? 'Writing', error: { Error: first.error!.Error, Cause: cause } };
}

/** The weeks whose every content item is ready (`readyAt`): a retry keeps them as they are. */
export function readyWeeks(items: readonly { day: number; readyAt?: string }[]): number[] {
  const weeks = new Map<number, boolean>();
  for (const item of items) weeks.set(weekOf(item.day), (weeks.get(weekOf(item.day)) ?? true) && item.readyAt !== undefined);
  return [...weeks.entries()]
    .filter(([, ready]) => ready)
    .map(([week]) => week)
    .sort((a, b) => a - b);
}
