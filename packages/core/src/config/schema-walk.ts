import type { z } from 'zod';
import type { ConfigPath } from './semantic.js';
import { isRecord } from '../shared/index.js';

/*
 * Walks the zod schema along a config path to find which keys a mapping accepts, so an unknown key can get
 * a "did you mean" from the keys that are valid at exactly that place. zod's issue does not carry them.
 */

type AnySchema = z.core.$ZodType;
type Def = { type: string } & Record<string, unknown>;

const defOf = (schema: AnySchema): Def => schema._zod.def as unknown as Def;

const WRAPPERS = new Set(['optional', 'default', 'prefault', 'nullable', 'readonly', 'catch', 'nonoptional']);

const unwrap = (schema: AnySchema): AnySchema => {
  let current = schema;
  for (let def = defOf(current); ; def = defOf(current)) {
    if (WRAPPERS.has(def.type)) current = def.innerType as AnySchema;
    else if (def.type === 'pipe') current = def.in as AnySchema;
    else return current;
  }
};

const shapeOf = (schema: AnySchema): Record<string, AnySchema> | undefined => {
  const def = defOf(schema);
  return def.type === 'object' ? (def.shape as Record<string, AnySchema>) : undefined;
};

/** For a union, the object option that shares the most keys with the input (or the list option for a list). */
const pickOption = (schema: AnySchema, input: unknown): AnySchema => {
  const def = defOf(schema);
  if (def.type !== 'union') return schema;
  const options = (def.options as AnySchema[]).map(unwrap);
  if (Array.isArray(input)) return options.find((option) => defOf(option).type === 'array') ?? schema;
  const inputKeys = isRecord(input) ? Object.keys(input) : [];
  let best: { option: AnySchema; score: number } | undefined;
  for (const option of options) {
    const shape = shapeOf(option);
    if (shape === undefined) continue;
    const score = inputKeys.filter((key) => key in shape).length;
    if (best === undefined || score > best.score) best = { option, score };
  }
  return best?.option ?? schema;
};

const child = (schema: AnySchema, segment: string | number, input: unknown): AnySchema | undefined => {
  const current = pickOption(unwrap(schema), input);
  const def = defOf(current);
  if (def.type === 'object') return (def.shape as Record<string, AnySchema>)[String(segment)];
  if (def.type === 'array') return def.element as AnySchema;
  if (def.type === 'record') return def.valueType as AnySchema;
  return undefined;
};

/** The keys the mapping at `path` accepts, or [] when the path does not lead to a fixed-shape mapping. */
const knownKeysAt = (root: AnySchema, path: ConfigPath, rootInput: unknown): string[] => {
  let schema: AnySchema | undefined = root;
  let input = rootInput;
  for (const segment of path) {
    if (schema === undefined) return [];
    schema = child(schema, segment, input);
    input = isRecord(input) || Array.isArray(input) ? (input as Record<string | number, unknown>)[segment] : undefined;
  }
  if (schema === undefined) return [];
  const shape = shapeOf(pickOption(unwrap(schema), input));
  return shape ? Object.keys(shape) : [];
};

export { knownKeysAt };
