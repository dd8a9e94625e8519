export { isRecord } from './is-record.js';
export { checkUserRegex, compileUserRegex } from './user-regex.js';
export type { UserRegex, UserRegexCheck } from './user-regex.js';
export { parseJsonOrUndefined } from './parse-json.js';
export { collapseToOneLine, escapeLineBreaks } from './one-line.js';
export { errorMessage } from './error-message.js';
export { compareText } from './compare-text.js';
export { EXCERPT_LENGTH, excerpt, quotedExcerpt } from './excerpt.js';
