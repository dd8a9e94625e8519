import { jsonPaths, type JsonPath } from '@dockmaster/core/testing';
import fc from 'fast-check';

/*
 * fast-check arbitraries for what should never reach a worker or the CLI, but will: random JSON, text that
 * is not JSON, bodies cut off mid-way, and valid samples with one field deleted, added, of the wrong type,
 * huge, or full of unusual unicode.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = JsonPath;

type Mutation = { kind: 'delete' } | { kind: 'replace'; value: Json } | { kind: 'extra'; key: string; value: Json };

/** Applies a mutation at `path` of a copy of `root`; deleting or replacing the root itself replaces the whole value. */
const mutateAt = (root: unknown, path: Path, mutation: Mutation): unknown => {
  if (path.length === 0) {
    if (mutation.kind === 'extra' && root !== null && typeof root === 'object' && !Array.isArray(root)) return { ...root, [mutation.key]: mutation.value };
    return mutation.kind === 'replace' ? mutation.value : null;
  }
  const copy = structuredClone(root) as Record<string | number, unknown>;
  const parent = path.slice(0, -1).reduce<Record<string | number, unknown>>((node, key) => node[key] as Record<string | number, unknown>, copy);
  const last = path.at(-1) as string | number;
  if (mutation.kind === 'delete') {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  } else if (mutation.kind === 'replace') {
    parent[last] = mutation.value;
  } else {
    const target = parent[last];
    if (target !== null && typeof target === 'object' && !Array.isArray(target)) (target as Record<string, unknown>)[mutation.key] = mutation.value;
    else parent[last] = { [mutation.key]: mutation.value };
  }
  return copy;
};

/** Strings that break naive code: astral and combining characters, RTL marks, lone surrogates, NUL. */
const awkwardString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('', ' ', '\u0000', '\u202e', 'e\u0301', '\ud800', '💥', 'prod/../../etc', 'k8s', '*', '**', 'null'),
);

/** Tens of thousands of characters: below SQS's 256 KiB body limit, far above any real field. */
const hugeString = fc.integer({ min: 20_000, max: 40_000 }).map((length) => 'ü💥x'.repeat(Math.ceil(length / 4)).slice(0, length));

const wrongValue: fc.Arbitrary<Json> = fc.oneof(
  fc.constant(null),
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.boolean(),
  fc.constant<Json>([]),
  fc.constant<Json>({}),
  fc.array(awkwardString, { maxLength: 3 }),
  awkwardString,
  hugeString,
);

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.constant<Mutation>({ kind: 'delete' }),
  wrongValue.map((value): Mutation => ({ kind: 'replace', value })),
  fc.record({ key: awkwardString, value: fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json> }).map(({ key, value }): Mutation => ({ kind: 'extra', key, value })),
);

/** A sample with one mutation at one of its paths. */
const mutatedSample = (samples: readonly unknown[]): fc.Arbitrary<string> =>
  fc.record({ sample: fc.nat(), path: fc.nat(), mutation }).map(({ sample, path, mutation: change }) => {
    const base = samples[sample % samples.length];
    const paths = jsonPaths(base);
    return JSON.stringify(mutateAt(base, paths[path % paths.length] ?? [], change));
  });

/** A sample's JSON cut off before its end. */
const truncatedSample = (samples: readonly unknown[]): fc.Arbitrary<string> =>
  fc.record({ sample: fc.nat(), cut: fc.nat() }).map(({ sample, cut }) => {
    const text = JSON.stringify(samples[sample % samples.length]);
    return text.slice(0, cut % text.length);
  });

/** SQS message bodies a worker must survive. */
const garbageBody = (samples: readonly unknown[]): fc.Arbitrary<string> =>
  fc.oneof(
    fc.json({ maxDepth: 3 }),
    fc.string({ unit: 'binary', maxLength: 200 }),
    truncatedSample(samples),
    mutatedSample(samples),
    mutatedSample(samples),
  );

/** A YAML text edit: remove a few characters at a position and insert some that matter to YAML. */
const yamlEdit = fc.record({
  at: fc.nat(),
  remove: fc.nat({ max: 8 }),
  insert: fc.string({ unit: fc.constantFrom(' ', '\n', '\t', ':', '-', '"', "'", '[', ']', '{', '}', ',', '#', '&', '*', '!', '|', '>', '%', '@', '?', 'a', '1', '.', '/', 'ü', '💥'), maxLength: 8 }),
});

export { garbageBody, hugeString, mutateAt, mutation, wrongValue, yamlEdit };
export type { Json, Mutation, Path };
