import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

/** Response headers the API sets that the document must declare wherever a response carries them. */
const DECLARED_RESPONSE_HEADERS = [
  'etag',
  'idempotent-replayed',
  'ratelimit-limit',
  'ratelimit-remaining',
  'ratelimit-reset',
  'retry-after',
  'location',
];

interface Operation {
  responses: Record<string, { headers?: Record<string, unknown>; content?: Record<string, { schema?: unknown }> }>;
}
interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
}

const pointer = (...parts: string[]) => parts.map((part) => part.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');

/**
 * Checks one response against the OpenAPI document the server publishes: the status must be
 * documented for the operation, the content type listed for that status, the JSON body valid
 * against its schema (JSON Schema 2020-12, as OpenAPI 3.1 has it), and every header of
 * DECLARED_RESPONSE_HEADERS it carries declared. Requests that match no operation (the gateway's
 * 404 for an unknown route, CORS preflights) are not the document's business.
 */
export function openApiValidator(document: OpenApiDocument) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(document, 'openapi.json');
  const compiled = new Map<string, ValidateFunction>();
  const templates = Object.keys(document.paths).map((template) => ({
    template,
    pattern: new RegExp(`^${template.replace(/[.]/g, '\\.').replace(/\{\w+\}/g, '[^/]+')}$`),
    literal: !template.includes('{'),
  }));

  function operationOf(method: string, path: string): { template: string; operation: Operation } | undefined {
    // A literal path wins over a template that also matches (/campaigns/{id}/schedule.ics vs …/{id}/…).
    const candidates = templates.filter((t) => t.pattern.test(path) && document.paths[t.template][method]);
    const chosen = candidates.find((t) => t.literal) ?? candidates.sort((a, b) => b.template.length - a.template.length)[0];
    return chosen && { template: chosen.template, operation: document.paths[chosen.template][method] };
  }

  return function validate(method: string, url: string, response: { status: number; headers: Headers; text: string }): string[] {
    const path = new URL(url, 'http://x').pathname;
    const lower = method.toLowerCase();
    const found = operationOf(lower, path);
    if (!found) return [];
    const where = `${method} ${path} → ${response.status}`;
    const documented = found.operation.responses[String(response.status)];
    if (!documented)
      return [
        `${where}: status not documented for ${method} ${found.template} (documented: ${Object.keys(found.operation.responses).join(', ')})`,
      ];
    const problems: string[] = [];
    for (const header of DECLARED_RESPONSE_HEADERS) {
      const declared = Object.keys(documented.headers ?? {}).some((name) => name.toLowerCase() === header);
      if (response.headers.has(header) && !declared) problems.push(`${where}: header ${header} not declared`);
    }
    const contentType = response.headers.get('content-type')?.split(';')[0].trim();
    if (!documented.content) {
      if (response.text.length > 0) problems.push(`${where}: a body where the document declares none`);
      return problems;
    }
    if (!contentType || !(contentType in documented.content)) {
      return [...problems, `${where}: content type ${contentType} not documented (${Object.keys(documented.content).join(', ')})`];
    }
    if (contentType !== 'application/json' || !documented.content[contentType].schema) return problems;
    const schemaPointer = `openapi.json#/${pointer('paths', found.template, lower, 'responses', String(response.status), 'content', contentType, 'schema')}`;
    let check = compiled.get(schemaPointer);
    if (!check) {
      check = ajv.compile({ $ref: schemaPointer });
      compiled.set(schemaPointer, check);
    }
    let body: unknown;
    try {
      body = JSON.parse(response.text);
    } catch {
      return [...problems, `${where}: body is not JSON`];
    }
    if (!check(body)) {
      problems.push(
        `${where}: body does not match the document: ${ajv.errorsText(check.errors, { separator: '; ' })}; body: ${response.text.slice(0, 500)}`,
      );
    }
    return problems;
  };
}
