/*
 * Two jobs, two helpers: prose that must fit on one line (an e-mail subject, an SQS attribute, a log field, a
 * sentence built around a library's message) loses its line breaks; a diagnostic that quotes the user's text
 * (`<file>:<line>:<col> <path> <message>`) keeps them visible, escaped, so nothing the user wrote is hidden.
 */

/** Every run of whitespace or control characters (line breaks, tabs, escape codes) becomes one space. Not trimmed: a caller joining parts keeps their spaces. */
const collapseToOneLine = (text: string): string => text.replace(/[\s\p{Cc}]+/gu, ' ');

/** Line breaks (`\r\n`, `\n`, `\r`) shown as a literal `\n`: the text stays on one line and still says where it broke. */
const escapeLineBreaks = (text: string): string => text.replace(/\r?\n|\r/g, '\\n');

export { collapseToOneLine, escapeLineBreaks };
