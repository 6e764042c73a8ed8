import * as z from 'zod/mini';

export type Checked<O> = { ok: true; output: O } | { ok: false; problems: string };

/** Parses a model's text as JSON and validates it; `problems` is written to be sent back to the model. */
export function checkOutput<O>(schema: z.ZodMiniType<O>, text: string | undefined): Checked<O> {
  if (!text?.trim()) return { ok: false, problems: 'The reply was empty.' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, problems: `The reply is not valid JSON (${(error as Error).message}).` };
  }
  return checkValue(schema, value);
}

export function checkValue<O>(schema: z.ZodMiniType<O>, value: unknown): Checked<O> {
  const result = schema.safeParse(value);
  return result.success ? { ok: true, output: result.data } : { ok: false, problems: z.prettifyError(result.error) };
}
