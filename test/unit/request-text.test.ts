import fc from 'fast-check';
import * as z from '../../shared/schemas/zod';
import { describe, expect, it } from 'vitest';
import { routes, type RouteDef } from '../../shared/http/routes';
import { multiLineText, singleLineText } from '../../shared/schemas/common';

type Path = (string | number)[];
/** A string field of a request body: its path, and how to build a body holding a value there. */
interface StringField {
  path: Path;
  build: (value: string) => unknown;
  format?: string;
}

interface Def {
  type: string;
  shape?: Record<string, z.ZodMiniType>;
  innerType?: z.ZodMiniType;
  element?: z.ZodMiniType;
  options?: z.ZodMiniType[];
  in?: z.ZodMiniType;
  valueType?: z.ZodMiniType;
  values?: unknown[];
  format?: string;
}
const defOf = (schema: z.ZodMiniType) => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** A literal an object needs to reach its other fields (a discriminated union's tag). */
function literalOf(schema: z.ZodMiniType): unknown {
  const def = defOf(schema);
  return def.type === 'literal' ? def.values?.[0] : undefined;
}

/** Every string field a schema reaches, through objects, arrays, unions, optionals, defaults and pipes; fails on a node it cannot see into. */
function stringFields(schema: z.ZodMiniType): StringField[] {
  const def = defOf(schema);
  switch (def.type) {
    case 'string':
      return [{ path: [], build: (value) => value, format: def.format }];
    case 'enum':
    case 'literal':
    case 'number':
    case 'boolean':
      return [];
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
      return stringFields(def.innerType!);
    case 'pipe':
      return stringFields(def.in!);
    case 'array':
      return stringFields(def.element!).map((field) => ({ ...field, path: [0, ...field.path], build: (value) => [field.build(value)] }));
    case 'union':
      return def.options!.flatMap(stringFields);
    case 'record':
      return stringFields(def.valueType!).map((field) => ({
        ...field,
        path: ['key', ...field.path],
        build: (value) => ({ key: field.build(value) }),
      }));
    case 'object': {
      const tags = Object.fromEntries(
        Object.entries(def.shape!).flatMap(([key, value]) => (literalOf(value) === undefined ? [] : [[key, literalOf(value)]])),
      );
      return Object.entries(def.shape!).flatMap(([key, value]) =>
        stringFields(value).map((field) => ({
          ...field,
          path: [key, ...field.path],
          build: (text: string) => ({ ...tags, [key]: field.build(text) }),
        })),
      );
    }
    default:
      throw new Error(`request-text walker cannot see into a ${def.type} schema: teach it, so no string field escapes the check`);
  }
}

/** Code points no field may hold: C0 but tab/LF/CR (those are single-line only), DEL and C1, bidi embedding/override/isolate. */
const alwaysRefused = fc.oneof(
  fc.integer({ min: 0x00, max: 0x1f }).filter((code) => code !== 0x09 && code !== 0x0a && code !== 0x0d),
  fc.integer({ min: 0x7f, max: 0x9f }),
  fc.integer({ min: 0x202a, max: 0x202e }),
  fc.integer({ min: 0x2066, max: 0x2069 }),
);
const lineBreaks = fc.constantFrom('\t', '\n', '\r');
const samePath = (a: readonly PropertyKey[], b: Path) => a.length === b.length && a.every((key, i) => key === b[i]);
/** A text around the character that would pass the field's own format (a URL stays a URL). */
const around = (field: StringField, character: string) =>
  field.format === 'url' ? `https://example.com/a${character}b` : `ok${character}ok`;

/** True when parsing refuses the value at the field for something other than its length. */
function refusedAt(schema: z.ZodMiniType, field: StringField, value: string): boolean {
  const result = schema.safeParse(field.build(value));
  return (
    !result.success &&
    result.error.issues.some((issue) => samePath(issue.path, field.path) && issue.code !== 'too_small' && issue.code !== 'too_big')
  );
}

const bodies = (routes as readonly RouteDef[]).flatMap((route) =>
  route.request?.body ? [{ id: route.id, body: route.request.body }] : [],
);

describe('every string field of every request body refuses control and bidi characters', () => {
  it('walks every route body and finds its string fields', () => {
    const fields = bodies.flatMap(({ id, body }) => stringFields(body).map((field) => `${id}:${field.path.join('.')}`));
    console.info(`request bodies: ${bodies.length}, string fields: ${fields.length}`);
    expect(bodies.length).toBeGreaterThanOrEqual(14);
    expect(fields).toEqual(
      expect.arrayContaining([
        'CreateCampaign:name',
        'UpdateCampaign:goal.metric',
        'UpdateCampaign:competitors.0',
        'UpdateContent:script.body',
        'UpdateContent:approval.reason',
        'UpdateProfilePhase2:targetAudienceDemographics.genders.0',
        'CreateWebhook:url',
        'ApproveLessons:whatWorked.0.evidence',
        'PutAccountAiKey:apiKey',
      ]),
    );
    expect(fields.length).toBeGreaterThan(40);
  });

  for (const { id, body } of bodies) {
    for (const field of stringFields(body)) {
      it(`${id} body.${field.path.join('.')}`, () => {
        expect(refusedAt(body, field, around(field, '\u0000')), 'NUL').toBe(true);
        expect(refusedAt(body, field, around(field, '\u202e')), 'RIGHT-TO-LEFT OVERRIDE').toBe(true);
        fc.assert(
          fc.property(alwaysRefused, (code) => refusedAt(body, field, around(field, String.fromCodePoint(code)))),
          { numRuns: 40 },
        );
      });
    }
  }

  it('would catch a plain z.string() field (the walker is not vacuous)', () => {
    const careless = z.strictObject({ nested: z.array(z.strictObject({ note: z.optional(z.string().check(z.minLength(1))) })) });
    const [field] = stringFields(careless);
    expect(field.path).toEqual(['nested', 0, 'note']);
    expect(refusedAt(careless, field, around(field, '\u0000'))).toBe(false);
  });
});

describe('the text primitives', () => {
  const single = singleLineText().check(z.trim(), z.minLength(1));
  const multi = multiLineText().check(z.trim(), z.minLength(1));
  /** Text without any refused character: letters of any script (Arabic and Hebrew included), emoji, punctuation. */
  const cleanText = fc
    .string({ unit: 'grapheme', minLength: 1, maxLength: 40 })
    .filter((text) => !/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u.test(text) && text.trim().length > 0);

  it('accept ordinary text in any script', () => {
    fc.assert(fc.property(cleanText, (text) => single.safeParse(text).success && multi.safeParse(text).success));
    expect(single.parse('Ahmed — أحمد, שלום 🎉')).toBe('Ahmed — أحمد, שלום 🎉');
  });

  it('refuse tab and line breaks on one line, allow them in multi-line text', () => {
    fc.assert(
      fc.property(cleanText, lineBreaks, cleanText, (before, character, after) => {
        const text = `${before}${character}${after}`;
        return !single.safeParse(text).success && multi.safeParse(text).success;
      }),
    );
  });

  it('refuse every C0, C1 and bidi control in both, naming the message', () => {
    fc.assert(
      fc.property(alwaysRefused, (code) => {
        const text = `a${String.fromCodePoint(code)}b`;
        return !single.safeParse(text).success && !multi.safeParse(text).success;
      }),
    );
    expect(single.safeParse('a\u0000b').error?.issues[0].message).toMatch(/control characters/);
  });
});
