/*
 * What a target receives from an EventBridge input transformer, written from the EventBridge user guide
 * ("Amazon EventBridge input transformation") and API reference (InputTransformer) instead of taken from the
 * local stack, so the plan tests do not check the templates with the code that made them:
 * - each input path is a JSON path in dot notation (`$.detail.message.subject`);
 * - a template that is a JSON object gets each `<name>` outside a string as the value's JSON (strings quoted),
 *   and inside a string as the value's text;
 * - any other template is text: EventBridge sends it as it is, with each `<name>` replaced by the value's text.
 */

interface InputTransformer {
  inputPaths: Record<string, string>;
  inputTemplate: string;
}

const valueAtPath = (event: unknown, path: string): unknown => {
  if (!/^\$(\.[A-Za-z0-9_-]+)*$/.test(path)) throw new Error(`input path ${path} is not in the dot notation EventBridge evaluates`);
  return path
    .split('.')
    .slice(1)
    .reduce<unknown>((current, key) => {
      if (current === null || typeof current !== 'object' || !(key in current)) throw new Error(`input path ${path} does not resolve in the event`);
      return (current as Record<string, unknown>)[key];
    }, event);
};

const asText = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));

/** The text a target receives for `event`. */
const renderInput = (transformer: InputTransformer, event: unknown): string => {
  const values = new Map(Object.entries(transformer.inputPaths).map(([name, path]) => [name, valueAtPath(event, path)]));
  const template = transformer.inputTemplate;
  const isJsonObject = template.trim().startsWith('{');
  let out = '';
  let inString = false;
  for (let index = 0; index < template.length; index += 1) {
    const char = template[index] as string;
    const placeholder = /^<([A-Za-z0-9_.-]+)>/.exec(template.slice(index));
    if (placeholder !== null && values.has(placeholder[1] as string)) {
      const value = values.get(placeholder[1] as string);
      // Inside a JSON string the value's text is escaped so the string stays valid; outside, its JSON.
      out += !isJsonObject ? asText(value) : inString ? JSON.stringify(asText(value)).slice(1, -1) : JSON.stringify(value);
      index += placeholder[0].length - 1;
      continue;
    }
    if (isJsonObject && char === '"' && template[index - 1] !== '\\') inString = !inString;
    out += char;
  }
  return out;
};

export { renderInput };
export type { InputTransformer };
