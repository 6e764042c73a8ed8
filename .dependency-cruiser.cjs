/**
 * The import rules of docs/architecture.md ("Where code lives"), checked by `npm test`
 * (`npm run deps`). Type-only imports count: a cycle through types is still a cycle.
 */

/** Each room of shared/ and the other rooms it may import (its own is always allowed). */
const ROOMS_MAY_IMPORT = {
  app: ['workflow', 'agents', 'ai', 'http', 'auth', 'events', 'media', 'connectors', 'db', 'crypto', 'domain', 'schemas', 'core'],
  workflow: ['agents', 'ai', 'db', 'domain', 'media', 'events', 'schemas', 'core'],
  agents: ['ai', 'domain', 'schemas'],
  ai: ['db', 'crypto', 'domain', 'core'],
  http: ['db', 'domain', 'schemas', 'core'],
  auth: ['db', 'domain', 'http', 'core'],
  events: ['db', 'domain', 'schemas', 'core'],
  media: ['schemas', 'core'],
  db: ['domain', 'schemas', 'core', 'crypto', 'media'],
  connectors: ['domain', 'schemas', 'core'],
  crypto: ['core'],
  domain: ['schemas', 'core'],
  schemas: ['core'],
  core: [],
};

const roomRules = Object.entries(ROOMS_MAY_IMPORT).map(([room, mayImport]) => ({
  name: `shared-${room}-imports`,
  comment: `shared/${room}/ imports only ${[room, ...mayImport].join(', ')} (docs/architecture.md)`,
  severity: 'error',
  from: { path: `^shared/${room}/` },
  to: { path: '^shared/', pathNot: `^shared/(${[room, ...mayImport].join('|')})/` },
}));

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No import cycle, type-only imports included',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    ...roomRules,
    {
      name: 'dynamodb-only-in-db',
      comment: 'shared/db/ is the only door to DynamoDB; the local stack (dev/) and tests may reach it too',
      severity: 'error',
      from: { pathNot: '^(shared/db|dev|test)/' },
      to: { path: '(^|/)node_modules/@aws-sdk/(client-dynamodb|lib-dynamodb|util-dynamodb)/' },
    },
    {
      name: 'zod-mini-only',
      comment:
        "zod/mini only (shared/schemas/zod.ts; core/ and ai/, below schemas/, import 'zod/mini' themselves): classic zod's methods cannot be tree-shaken and cost every function its bytes and cold load",
      severity: 'error',
      from: { pathNot: '(^|/)node_modules/' },
      to: { path: '(^|/)node_modules/zod/(index|v4/index|v4/classic/)' },
    },
    {
      name: 'db-crypto-types-only',
      comment: 'shared/db/ takes only types from crypto/: stores keep sealed secrets, callers seal and open them',
      severity: 'error',
      from: { path: '^shared/db/' },
      to: { path: '^shared/crypto/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'db-media-s3-only',
      comment: 'shared/db/ takes only the S3 client from media/ (large agent outputs)',
      severity: 'error',
      from: { path: '^shared/db/' },
      to: { path: '^shared/media/', pathNot: '^shared/media/s3\\.ts$' },
    },
    {
      name: 'shared-not-functions',
      comment: 'shared/ does not import the Lambda entry points',
      severity: 'error',
      from: { path: '^shared/' },
      to: { path: '^functions/' },
    },
    {
      name: 'runtime-not-infra',
      comment: 'shared/ and functions/ (what runs in Lambda) do not import infra/ (what deploys it) or dev/ (the local stack)',
      severity: 'error',
      from: { path: '^(shared|functions)/' },
      to: { path: '^(infra|dev)/' },
    },
    {
      name: 'infra-not-dev',
      comment: 'infra/ is exactly what deploys: it never imports the local stack',
      severity: 'error',
      from: { path: '^infra/' },
      to: { path: '^dev/' },
    },
    {
      name: 'dev-infra-synth-asl-only',
      comment: 'dev/ takes from infra/ only the synthesized template (synth.ts) and its ASL (asl.ts)',
      severity: 'error',
      from: { path: '^dev/' },
      to: { path: '^infra/', pathNot: '^infra/(synth|asl)\\.ts$' },
    },
    {
      name: 'handlers-independent',
      comment:
        "A handler does not import another handler: what they share lives in shared/. The MCP server (functions/api/mcp.ts) is the one exception: a tool call runs its route's own handler in-process",
      severity: 'error',
      from: { path: '^functions/', pathNot: '^functions/api/mcp\\.ts$' },
      to: { path: '^functions/' },
    },
    {
      name: 'client-standalone',
      comment:
        'The typed client (client/) is a package of its own: it imports its generated files and openapi-fetch, nothing of the server',
      severity: 'error',
      from: { path: '^client/' },
      to: { path: '^(shared|functions|infra|dev)/' },
    },
    {
      name: 'tests-not-imported',
      comment: 'Nothing outside test/ imports test code',
      severity: 'error',
      from: { pathNot: '^test/' },
      to: { path: '^test/' },
    },
    {
      name: 'domain-no-aws',
      comment: 'shared/domain/ is pure: no AWS SDK, no Lambda runtime helpers',
      severity: 'error',
      from: { path: '^shared/domain/' },
      to: {
        path: '(^|/)node_modules/@aws-(sdk|lambda-powertools)/',
      },
    },
    {
      name: 'domain-no-io-modules',
      comment: 'shared/domain/ is pure: no file system, network requests, child processes or workers',
      severity: 'error',
      from: { path: '^shared/domain/' },
      to: {
        dependencyTypes: ['core'],
        path: '^(node:)?(fs|fs/promises|http|https|http2|child_process|dgram|dns|worker_threads|cluster)$',
      },
    },
    {
      name: 'route-table-schemas-only',
      comment: 'The route table imports schemas only, never handler code (docs/architecture.md)',
      severity: 'error',
      from: { path: '^shared/http/routes/' },
      to: { path: '^(shared|functions|infra)/', pathNot: '^shared/(schemas|http/routes)/' },
    },
  ],
  options: {
    exclude: { path: '^(cdk\\.out|\\.crescendo|coverage|\\.bench|\\.scratch)/' },
    doNotFollow: { path: '(^|/)node_modules/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.json', '.d.ts'],
    },
  },
};
