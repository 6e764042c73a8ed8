import * as z from 'zod';

/** The MCP transport's own refusals (Streamable HTTP): a JSON-RPC error with no request id, not the API's envelope. */
export const jsonRpcErrorSchema = z
  .object({
    jsonrpc: z.literal('2.0'),
    error: z.object({
      code: z.number().int().meta({ description: 'JSON-RPC error code: -32700 parse error, -32600 invalid request, -32000 transport' }),
      message: z.string(),
      data: z.unknown().optional(),
    }),
    id: z.null(),
  })
  .meta({ id: 'JsonRpcError' });
