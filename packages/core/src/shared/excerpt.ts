/*
 * Diagnostics quote what the user wrote, and what the user wrote may be a 250 KB line or a binary file read as
 * text. Every quote goes through here, so one huge value costs at most a short excerpt of output.
 */

/** Characters of a quoted value kept in a diagnostic. */
const EXCERPT_LENGTH = 80;

/** The value as is when short; else its first EXCERPT_LENGTH characters (whole code points) and an ellipsis. */
const head = (value: string): { text: string; cut: number | undefined } => {
  if (value.length <= EXCERPT_LENGTH) return { text: value, cut: undefined };
  const points = Array.from(value);
  if (points.length <= EXCERPT_LENGTH) return { text: value, cut: undefined };
  return { text: `${points.slice(0, EXCERPT_LENGTH).join('')}…`, cut: points.length };
};

/** `value`, or `abc… (250000 characters)` when it is longer than EXCERPT_LENGTH characters. */
const excerpt = (value: string): string => {
  const { text, cut } = head(value);
  return cut === undefined ? text : `${text} (${cut} characters)`;
};

/** `value` quoted with `quote` (JSON string syntax for '"'), the length after the closing quote when it was cut. */
const quotedExcerpt = (value: string, quote: '"' | "'" = '"'): string => {
  const { text, cut } = head(value);
  const quoted = quote === '"' ? JSON.stringify(text) : `'${text}'`;
  return cut === undefined ? quoted : `${quoted} (${cut} characters)`;
};

export { EXCERPT_LENGTH, excerpt, quotedExcerpt };
