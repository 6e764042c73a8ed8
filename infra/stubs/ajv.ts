/**
 * Stands in for `ajv` and `ajv-formats` in every Lambda bundle (the `alias` of infra/bundle.ts).
 * The only production code that imports them is the MCP SDK's default JSON Schema validator, which
 * its `Server` builds unless given another; the MCP server (shared/app/mcp-server.ts) passes its
 * own, so this never runs there. Anything else that reached for Ajv would fail here, loudly.
 */
export default function ajvLeftOutOfTheBundle(): never {
  throw new Error('Ajv is left out of the Lambda bundles (infra/bundle.ts): pass the MCP SDK a jsonSchemaValidator');
}
