import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DomainError } from '../../shared/core/errors';
import { RawReply } from '../../shared/http/envelope';
import { httpRoute } from '../../shared/http/middleware';
import { systemRoutes } from '../../shared/http/routes/system';

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Crescendo API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/docs/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/docs/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script>
</body>
</html>`;

const INIT_SCRIPT = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', deepLinking: true });`;

/** A Map, not an object literal: a path segment such as `__proto__` or `toString` must not find an inherited property. */
const ASSET_TYPES = new Map<string, string>([
  ['swagger-ui.css', 'text/css; charset=utf-8'],
  ['swagger-ui-bundle.js', 'text/javascript; charset=utf-8'],
]);

/** The renderer ships inside the function bundle (copied by CDK); in a source checkout it is read from the package. */
function assetDirectory(): string {
  const bundled = fileURLToPath(new URL('./swagger-ui/', import.meta.url));
  if (existsSync(bundled)) return bundled;
  return dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
}

const assets = new Map<string, string>();
function asset(name: string): string {
  let body = assets.get(name);
  if (body === undefined) {
    body = readFileSync(join(assetDirectory(), name), 'utf8');
    assets.set(name, body);
  }
  return body;
}

function reply(contentType: string, body: string) {
  return new RawReply({
    statusCode: 200,
    headers: { 'content-type': contentType, 'cache-control': 'public, max-age=3600' },
    body,
  });
}

export const handler = httpRoute(
  systemRoutes,
  'ApiDocsAsset',
  async ({ event }) => {
    const name = event.pathParameters?.asset;
    if (name === undefined) return reply('text/html; charset=utf-8', PAGE);
    if (name === 'init.js') return reply('text/javascript; charset=utf-8', INIT_SCRIPT);
    const contentType = ASSET_TYPES.get(name);
    if (!contentType) throw new DomainError('NOT_FOUND', `No documentation asset named ${name}`);
    return reply(contentType, asset(name));
  },
  {
    contentSecurityPolicy: {
      'default-src': "'none'",
      'script-src': "'self'",
      'style-src': "'self' 'unsafe-inline'",
      'img-src': "'self' data:",
      'connect-src': "'self'",
      'font-src': "'self' data:",
      // Empty values drop the API's defaults that a scripted page cannot live with: a sandboxed
      // document, Trusted Types (Swagger UI assigns innerHTML) and the obsolete navigate-to.
      sandbox: 'allow-scripts allow-same-origin',
      'require-trusted-types-for': '',
      'trusted-types': '',
      'navigate-to': '',
    },
  },
);
