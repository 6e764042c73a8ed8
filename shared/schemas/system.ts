import * as z from './zod';

export const healthSchema = z.withMeta(
  z.object({
    status: z.enum(['ok', 'degraded']),
    version: z.string(),
    checks: z.object({ table: z.object({ ok: z.boolean(), latencyMs: z.number() }) }),
  }),
  { id: 'Health' },
);
export type Health = z.infer<typeof healthSchema>;
