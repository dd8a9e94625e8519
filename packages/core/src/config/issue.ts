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
      if (IDENTIFIER.test(segment)) return index === 0 ? segment : `.${segment}`;
      return `[${JSON.stringify(segment)}]`;
    })
    .join('');
};

/** Line breaks inside a message (a quoted value that spans lines) are shown escaped: one issue is one line. */
const oneLine = (text: string): string => text.replace(/\r?\n|\r/g, '\\n');

/** `<file>:<line>:<col> <path> <message>`: the format editors and CI annotations recognise. */
const formatConfigIssue = (issue: ConfigIssue): string =>
  `${oneLine(issue.file)}:${issue.line}:${issue.column} ${oneLine(issue.path)} ${oneLine(issue.message)}`;

export { formatConfigIssue, formatPath };
export type { ConfigIssue };
