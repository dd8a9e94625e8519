import { escapeLineBreaks, excerpt, quotedExcerpt } from '../shared/index.js';
import type { ConfigPath } from './semantic.js';

/** One problem in a configuration file, located at the offending value (1-based line and column). */
interface ConfigIssue {
  file: string;
  line: number;
  column: number;
  /** Where in the configuration, for example `pullThroughCache[0].repositoryPolicy.pullAccounts[1]`. */
  path: string;
  message: string;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `pullThroughCache[0].repositoryPolicy`; keys that are not identifiers are quoted: `teams["platform-dns"]`. */
const formatPath = (path: ConfigPath): string => {
  if (path.length === 0) return '(root)';
  return path
    .map((segment, index) => {
      if (typeof segment === 'number') return `[${segment}]`;
      if (IDENTIFIER.test(segment)) return index === 0 ? excerpt(segment) : `.${excerpt(segment)}`;
      return `[${quotedExcerpt(segment)}]`;
    })
    .join('');
};

/** `<file>:<line>:<col> <path> <message>`: the format editors and CI annotations recognise; line breaks inside a message (a quoted value that spans lines) are shown escaped, so one issue is one line. */
const formatConfigIssue = (issue: ConfigIssue): string =>
  `${escapeLineBreaks(issue.file)}:${issue.line}:${issue.column} ${escapeLineBreaks(issue.path)} ${escapeLineBreaks(issue.message)}`;

export { formatConfigIssue, formatPath };
export type { ConfigIssue };
