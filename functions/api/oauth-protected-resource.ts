import { readConfig } from '../../shared/core/config';
import { RawReply } from '../../shared/http/envelope';
import { apiBaseUrl, protectedResourceMetadata } from '../../shared/http/mcp-tools';
import { httpRoute } from '../../shared/http/middleware';
import { mcpRoutes } from '../../shared/http/routes/mcp';

const { JWT_ISSUER } = readConfig(['JWT_ISSUER']);

export const handler = httpRoute(
  mcpRoutes,
  'OAuthProtectedResource',
  async ({ event }) =>
    new RawReply({
      statusCode: 200,
      headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'public, max-age=3600' },
      body: JSON.stringify(protectedResourceMetadata(apiBaseUrl(event), JWT_ISSUER)),
    }),
);
