import type { BusRuleFeed } from '@dockmaster/core/topology';

/*
 * What a bus rule's target receives, as EventBridge builds it (user guide, "Amazon EventBridge input
 * transformation"; API reference, InputTransformer and Target.InputPath):
 * - InputPath: the part of the event at that JSON path, as JSON;
 * - InputTransformer with a JSON-object template: `<name>` outside a string becomes the value's JSON (a string is
 *   quoted and escaped), inside a string the value's text, escaped so the string stays valid;
 * - any other template is text, each `<name>` replaced by the value's text.
 * The runner's applyInputTransformer (schedules) only needs the in-string case; the chat template needs both.
 */

/** `$.a.b-c.d`: dot notation, as EventBridge evaluates it; undefined where the path does not resolve. */
const valueAt = (event: unknown, path: string): unknown =>
  path
    .replace(/^\$\.?/, '')
    .split('.')
    .filter((key) => key !== '')
    .reduce<unknown>((current, key) => (current !== null && typeof current === 'object' ? (current as Record<string, unknown>)[key] : undefined), event);

const asText = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value ?? null));

const transform = (transformer: NonNullable<BusRuleFeed['inputTransformer']>, event: unknown): string => {
  const values = new Map(Object.entries(transformer.inputPaths).map(([name, path]) => [name, valueAt(event, path)]));
  const template = transformer.inputTemplate;
  const isJson = template.trimStart().startsWith('{');
  let out = '';
  let inString = false;
  for (let index = 0; index < template.length; index += 1) {
    const placeholder = /^<([A-Za-z0-9_.-]+)>/.exec(template.slice(index));
    if (placeholder && values.has(placeholder[1] as string)) {
      const value = values.get(placeholder[1] as string);
      out += !isJson ? asText(value) : inString ? JSON.stringify(asText(value)).slice(1, -1) : JSON.stringify(value ?? null);
      index += placeholder[0].length - 1;
      continue;
    }
    const char = template[index] as string;
    if (isJson && char === '"' && template[index - 1] !== '\\') inString = !inString;
    out += char;
  }
  return out;
};

/** The text the target of `feed` receives for `event`: what SNS publishes or the API destination POSTs. */
const targetInput = (feed: BusRuleFeed, event: unknown): string => {
  if (feed.inputPath !== undefined) return JSON.stringify(valueAt(event, feed.inputPath) ?? null);
  if (feed.inputTransformer !== undefined) return transform(feed.inputTransformer, event);
  return JSON.stringify(event);
};

export { targetInput };
