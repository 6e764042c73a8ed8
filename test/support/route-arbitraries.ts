import fc from 'fast-check';
import { buildOpenApiDocument } from '../../shared/http/openapi';
import type { RouteDef } from '../../shared/http/routes';

/**
 * fast-check arbitraries for the requests of the route table, derived from the OpenAPI document
 * (itself generated from the routes' zod schemas): one source for the BOLA sweep's valid bodies and
 * the route fuzzer. A JSON Schema subset: $ref, const, enum, anyOf/oneOf, type lists, objects
 * (required and optional properties), arrays, strings (length, pattern, date/date-time/uuid/uri/email),
 * integers and numbers (bounds), booleans, null.
 */
type JsonSchema = Record<string, any>;

export const openApi = buildOpenApiDocument('fuzz') as unknown as {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, JsonSchema> };
};
interface Operation {
  operationId: string;
  parameters?: { name: string; in: 'path' | 'query' | 'header'; required?: boolean; schema: JsonSchema }[];
  requestBody?: { required?: boolean; content: Record<string, { schema: JsonSchema }> };
}

export function operationOf(route: RouteDef): Operation {
  const operation = openApi.paths[route.path]?.[route.method.toLowerCase()];
  if (!operation) throw new Error(`${route.method} ${route.path} is not in the OpenAPI document`);
  return operation;
}

const resolve = (schema: JsonSchema): JsonSchema =>
  typeof schema.$ref === 'string' ? resolve(openApi.components.schemas[schema.$ref.split('/').pop()!]) : schema;

function stringArbitrary(schema: JsonSchema): fc.Arbitrary<string> {
  const minLength = schema.minLength ?? 0;
  const maxLength = Math.min(schema.maxLength ?? minLength + 24, minLength + 24);
  const fits = (value: string) => value.length >= (schema.minLength ?? 0) && value.length <= (schema.maxLength ?? Infinity);
  switch (schema.format) {
    case 'date-time':
      return fc.date({ min: new Date('2020-01-01'), max: new Date('2030-12-31'), noInvalidDate: true }).map((d) => d.toISOString());
    case 'date':
      return fc
        .date({ min: new Date('2020-01-01'), max: new Date('2030-12-31'), noInvalidDate: true })
        .map((d) => d.toISOString().slice(0, 10));
    case 'uuid':
      return fc.uuid();
    case 'uri':
    case 'url':
      // Literal addresses: the local stack allows private webhook URLs, and no DNS lookup waits on a network there is not.
      return fc.constantFrom('http://127.0.0.1:9/hook', 'https://127.0.0.1/a?b=c');
    case 'email':
      return fc.emailAddress().filter(fits);
  }
  if (schema.pattern) {
    // `^[class]*$` / `^[class]+$` (the request-text primitives and most others): characters of the class, at the schema's lengths.
    const characterClass = /^\^(\[(?:[^\]\\]|\\.)+\])[*+]\$$/.exec(schema.pattern)?.[1];
    if (characterClass) {
      const character = fc.stringMatching(new RegExp(`^${characterClass}$`, 'u'));
      return fc.array(character, { minLength: Math.max(minLength, 1), maxLength: Math.max(maxLength, 1) }).map((chars) => chars.join(''));
    }
    const pattern = new RegExp(schema.pattern, 'u');
    try {
      return fc.stringMatching(pattern).filter(fits);
    } catch {
      return fc.string({ minLength, maxLength }).filter((value) => pattern.test(value));
    }
  }
  return fc.string({ minLength, maxLength });
}

/** Values a zod refinement needs that JSON Schema cannot say, by property name: offered beside the schema's own arbitrary. */
const PROPERTY_HINTS: Record<string, readonly string[]> = {
  timeZone: ['Europe/Paris', 'America/New_York', 'Asia/Tokyo', 'UTC'],
};

/** Values the schema accepts (mostly: zod refinements beyond JSON Schema are not known here). */
export function arbitraryOf(input: JsonSchema, depth = 0): fc.Arbitrary<unknown> {
  const schema = resolve(input);
  if ('const' in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...schema.enum);
  const union = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(union)) return fc.oneof(...union.map((member: JsonSchema) => arbitraryOf(member, depth)));
  if (Array.isArray(schema.allOf)) return arbitraryOf(schema.allOf[0], depth);
  if (Array.isArray(schema.type)) return fc.oneof(...schema.type.map((type: string) => arbitraryOf({ ...schema, type }, depth)));
  switch (schema.type) {
    case 'object': {
      const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
      const required: string[] = schema.required ?? [];
      if (Object.keys(properties).length === 0) return fc.constant({});
      const property = (key: string, value: JsonSchema) =>
        PROPERTY_HINTS[key]
          ? fc.oneof(
              { arbitrary: fc.constantFrom(...PROPERTY_HINTS[key]), weight: 4 },
              { arbitrary: arbitraryOf(value, depth + 1), weight: 1 },
            )
          : arbitraryOf(value, depth + 1);
      return fc.record(Object.fromEntries(Object.entries(properties).map(([key, value]) => [key, property(key, value)])), {
        requiredKeys: required.filter((key) => key in properties),
      });
    }
    case 'array': {
      const minLength = schema.minItems ?? 0;
      const maxLength = Math.min(schema.maxItems ?? minLength + 3, minLength + (depth > 2 ? 1 : 3));
      const items = arbitraryOf(schema.items ?? {}, depth + 1);
      return schema.uniqueItems
        ? fc.uniqueArray(items, { minLength, maxLength, selector: (value) => JSON.stringify(value) })
        : fc.array(items, { minLength, maxLength });
    }
    case 'string':
      return stringArbitrary(schema);
    case 'integer': {
      const min = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : -1_000_000);
      const max = schema.maximum ?? (schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - 1 : Math.max(min, 0) + 1_000_000);
      return fc.integer({ min: Math.max(min, Number.MIN_SAFE_INTEGER), max: Math.min(max, Number.MAX_SAFE_INTEGER) });
    }
    case 'number': {
      const min = schema.minimum ?? schema.exclusiveMinimum ?? -1e6;
      const max = schema.maximum ?? schema.exclusiveMaximum ?? Math.max(min, 0) + 1e6;
      if (schema.multipleOf) {
        const step = schema.multipleOf as number;
        const steps = fc.integer({ min: Math.ceil(min / step), max: Math.min(Math.floor(max / step), Number.MAX_SAFE_INTEGER) });
        return steps.map((n) => Number((n * step).toFixed(12)));
      }
      return fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
    }
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** Bodies the route's OpenAPI request body describes; undefined for a route without one. */
export function bodyArbitrary(route: RouteDef): fc.Arbitrary<unknown> | undefined {
  const schema = operationOf(route).requestBody?.content['application/json']?.schema;
  return schema ? arbitraryOf(schema) : undefined;
}

/**
 * The shortest of the bodies the route's own zod schema accepts among the document's arbitrary's samples (deterministic seed);
 * undefined for a route without a body. Throws when 500 samples hold none: the document and the
 * schema disagree, or a refinement needs an example.
 */
export function validBody(route: RouteDef): unknown {
  const arbitrary = bodyArbitrary(route);
  if (!arbitrary || !route.request?.body) return undefined;
  const schema = route.request.body;
  // The shortest: the fewest optional fields that could meet a rule of their own (a plan limit, another resource's id).
  const [found] = fc
    .sample(arbitrary, { seed: 17, numRuns: 500 })
    .filter((candidate) => schema.safeParse(candidate).success)
    .sort((a, b) => JSON.stringify(a).length - JSON.stringify(b).length);
  if (found === undefined) throw new Error(`No valid body for ${route.method} ${route.path} in 500 samples of its OpenAPI schema`);
  return found;
}
