import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileEventPattern, matchesEventPattern, validateEventPattern } from './event-pattern.js';

type JsonObject = Record<string, unknown>;
type Scalar = string | number | boolean | null;

const isScalar = (value: unknown): value is Scalar => value === null || ['string', 'number', 'boolean'].includes(typeof value);
const scalarsOf = (value: unknown): Scalar[] => (isScalar(value) ? [value] : Array.isArray(value) ? value.flatMap(scalarsOf) : []);
const objectsOf = (value: unknown): JsonObject[] =>
  Array.isArray(value) ? value.flatMap(objectsOf) : typeof value === 'object' && value !== null ? [value as JsonObject] : [];

/**
 * A pattern made of the event's own values: each field lists all its scalar values, or descends into
 * its first object (one array element, so array consistency holds). `$or` fields are left out.
 * `Object.fromEntries` keeps a "__proto__" field an ordinary field.
 */
const patternFrom = (event: JsonObject): JsonObject => {
  const entries: [string, unknown][] = [];
  for (const [key, value] of Object.entries(event)) {
    if (key === '$or') continue;
    const scalars = scalarsOf(value);
    const [firstObject] = objectsOf(value);
    if (scalars.length > 0) entries.push([key, scalars]);
    else if (firstObject) {
      const nested = patternFrom(firstObject);
      if (Object.keys(nested).length > 0) entries.push([key, nested]);
    }
  }
  return Object.fromEntries(entries);
};

const eventArbitrary = fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 3 }), { minKeys: 1, maxKeys: 6 });

describe('properties', () => {
  it('a pattern built from an event’s own values is valid and matches that event', () => {
    fc.assert(
      fc.property(eventArbitrary, (event) => {
        // Prepare
        const pattern = patternFrom(event);
        fc.pre(Object.keys(pattern).length > 0 && JSON.stringify(pattern).length <= 4096);

        // Act
        const check = validateEventPattern(pattern);
        const matched = matchesEventPattern(pattern, event);

        // Assess
        expect(check).toEqual({ ok: true });
        expect(matched).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('a string field matches its exact value and never anything-but that value', () => {
    fc.assert(
      fc.property(eventArbitrary, fc.string(), (event, value) => {
        // Prepare
        const withField = { ...event, field: value };

        // Act
        const exact = matchesEventPattern({ field: [value] }, withField);
        const allBut = matchesEventPattern({ field: [{ 'anything-but': value }] }, withField);

        // Assess
        expect([exact, allBut]).toEqual([true, false]);
      }),
    );
  });

  it('numeric bounds split every supported number consistently', () => {
    fc.assert(
      fc.property(fc.double({ min: -5e9, max: 5e9, noNaN: true }), (value) => {
        // Prepare
        const event = { n: value };
        const atLeast = compileEventPattern({ n: [{ numeric: ['>=', value] }] });
        const below = compileEventPattern({ n: [{ numeric: ['<', value] }] });
        const equal = compileEventPattern({ n: [{ numeric: ['=', value] }] });

        // Act
        const results = [atLeast(event), below(event), equal(event)];

        // Assess
        expect(results).toEqual([true, false, true]);
      }),
    );
  });
});
