/** A plain JSON-like object (not null, not an array): what untyped input is checked with before reading keys. */
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export { isRecord };
