import { readConfig } from '../../shared/core/config';
import { RawReply } from '../../shared/http/envelope';
import { httpRoute } from '../../shared/http/middleware';
import { systemRoutes } from '../../shared/http/routes/system';
import { buildOpenApiDocument } from '../../shared/http/openapi';

const { APP_VERSION } = readConfig(['APP_VERSION']);

export const handler = httpRoute(
  systemRoutes,
  'OpenApiDocument',
  async () =>
    new RawReply({
      statusCode: 200,
      headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'public, max-age=300' },
      body: JSON.stringify(buildOpenApiDocument(APP_VERSION)),
    }),
);
