/**
 * The one zod of the code base: zod/mini, whose functions tree-shake (about a third of classic zod's
 * bytes and cold load in every function, issue 21), with classic zod's English error messages (the
 * 400 answers' issue messages) and classic's `.meta()` as a function.
 */
import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';

z.config(en());

export * from 'zod/mini';

/** Classic zod's `schema.meta(meta)`: a copy of `schema` registered with `meta` (the original keeps its own). */
export function withMeta<T extends z.ZodMiniType>(schema: T, meta: z.core.GlobalMeta): T {
  const copy = schema.clone();
  z.globalRegistry.add(copy, meta);
  return copy;
}
