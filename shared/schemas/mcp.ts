import * as z from './zod';

/** The MCP transport's own refusals (Streamable HTTP): a JSON-RPC error with no request id, not the API's envelope. */
export const jsonRpcErrorSchema = z.withMeta(
  z.object({
    jsonrpc: z.literal('2.0'),
    error: z.object({
      code: z.withMeta(z.number().check(z.int()), {
        description: 'JSON-RPC error code: -32700 parse error, -32600 invalid request, -32000 transport',
      }),
      message: z.string(),
      data: z.optional(z.unknown()),
    }),
    id: z.null(),
  }),
  { id: 'JsonRpcError' },
);
