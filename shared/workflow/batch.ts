import * as z from '../schemas/zod';
import { attemptRefSchema, WorkflowError } from '../db/workflow-store';

/**
 * The workflow's unit of bulk work: a week of the campaign (every platform). The Writing Map runs
 * one `{ week, round }` per item, the Thumbnails Map one `{ week }`.
 */
export const weekInputSchema = z.extend(attemptRefSchema, { week: z.number().check(z.int(), z.gte(1), z.lte(13)) });
export type WeekInput = z.infer<typeof weekInputSchema>;

export function parseWeekInput<S extends z.ZodMiniType>(schema: S, input: unknown): z.infer<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new WorkflowError('InvalidWorkflowInput', z.prettifyError(parsed.error));
  return parsed.data;
}

export const weekDays = (week: number) => [week * 7 - 6, week * 7] as const;
export const weekOf = (day: number) => Math.ceil(day / 7);
