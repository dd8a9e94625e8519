import { isMap, isScalar, isSeq } from 'yaml';
import type { z } from 'zod';
import { ConfigInvalidError } from './config-invalid-error.js';
import { expiredExceptions } from './expiry.js';
import { formatPath, type ConfigIssue } from './issue.js';
import { configErrorMap } from './messages.js';
import { modeWarnings } from './mode-warnings.js';
import { shadowedTagPolicies } from '../tag-policy/shadowing.js';
import { tagImmutabilityWarnings } from '../tag-policy/tag-immutability.js';
import { unownedImageWarnings } from './owner-warnings.js';
import { DockmasterConfigSchema, type DockmasterConfig } from './schema.js';
import { knownKeysAt } from './schema-walk.js';
import { semanticIssues, type ConfigPath } from './semantic.js';
import { configByteSize, CONFIG_MAX_BYTES, configTooLargeMessage } from './stored-config.js';
import { didYouMean } from './suggest.js';
import { locate, locateInValue, parseYamlSource, sourceTextAt, START, toPlainData, type Position, type YamlSource } from './yaml-source.js';
import { errorMessage, isRecord, quotedExcerpt } from '../shared/index.js';

/*
 * Text in, result out: YAML with positions -> plain data -> zod schema + cross-field checks -> located issues.
 * Never throws for anything in the text; every problem becomes one ConfigIssue.
 */

type ConfigLoadResult =
  | { ok: true; config: DockmasterConfig; warnings: ConfigIssue[] }
  | { ok: false; issues: ConfigIssue[] };

interface LoadOptions {
  /** Used to warn about expired exemptions and suppressions; defaults to the current time. */
  now?: Date;
}

/** A problem before it is given a file name: a path and where to point. */
interface Finding {
  path: ConfigPath;
  message: string;
  target: 'key' | 'value';
  /** A character inside the value to point at (where RE2 stopped reading a regular expression). */
  offset?: number;
}

type ZodIssue = z.core.$ZodIssue;

const EMPTY_FILE =
  "the file is empty: a configuration needs at least 'version: 1' and 'registry' (accountId, region); see docs/configuration.md";

const valueAt = (input: unknown, path: ConfigPath): unknown =>
  path.reduce<unknown>((value, segment) => (isRecord(value) || Array.isArray(value) ? (value as Record<string | number, unknown>)[segment] : undefined), input);

const isRootTypeMismatch = (branch: readonly ZodIssue[]): boolean =>
  branch.length === 1 && branch[0]?.code === 'invalid_type' && branch[0].path.length === 0;

/**
 * zod reports a union that matched no option with the issues of every option. When the input clearly aims at
 * one option (the others fail on its type), or one option is plainly closest, report that option's own issues.
 */
const closestUnionBranch = (branches: readonly (readonly ZodIssue[])[]): readonly ZodIssue[] | undefined => {
  const candidates = branches.filter((branch) => !isRootTypeMismatch(branch));
  const fewest = Math.min(...candidates.map((branch) => branch.length));
  const closest = candidates.filter((branch) => branch.length === fewest);
  return closest.length === 1 ? closest[0] : undefined;
};

/** What a union would have accepted, for a "did you mean": its enum values and the required keys of its mappings. */
const unionVocabulary = (branches: readonly (readonly ZodIssue[])[]): { values: string[]; keys: string[] } => {
  const issues = branches.flat();
  return {
    values: issues.flatMap((issue) => (issue.code === 'invalid_value' && issue.path.length === 0 ? issue.values.map(String) : [])),
    keys: issues.flatMap((issue) => (issue.code === 'invalid_type' && issue.path.length === 1 ? [String(issue.path[0])] : [])),
  };
};

const unionSuggestion = (input: unknown, branches: readonly (readonly ZodIssue[])[]): string => {
  const { values, keys } = unionVocabulary(branches);
  if (typeof input === 'string') return didYouMean(input, values, '"');
  if (!isRecord(input)) return '';
  const unknown = Object.keys(input).filter((key) => !keys.includes(key));
  const hints = unknown.map((key) => `unknown key ${quotedExcerpt(key, "'")}${didYouMean(key, keys)}`);
  return hints.length > 0 ? `; ${hints.join('; ')}` : '';
};

const findingsOf = (issue: ZodIssue, prefix: ConfigPath, raw: unknown): Finding[] => {
  const path = [...prefix, ...(issue.path as ConfigPath)];
  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = knownKeysAt(DockmasterConfigSchema, path, raw);
      return issue.keys.map((key) => ({
        path: [...path, key],
        target: 'key' as const,
        message:
          key === '<<'
            ? "YAML merge keys ('<<') are not supported: write the keys out"
            : `unknown key ${quotedExcerpt(key, "'")}${didYouMean(key, known)}`,
      }));
    }
    case 'invalid_union': {
      const branch = closestUnionBranch(issue.errors);
      if (branch !== undefined) return branch.flatMap((nested) => findingsOf(nested, path, raw));
      return [{ path, target: 'value', message: `${issue.message}${unionSuggestion(valueAt(raw, path), issue.errors)}` }];
    }
    case 'invalid_key':
      return [{ path, target: 'key', message: issue.message }];
    case 'custom': {
      const offset: unknown = issue.params?.offset;
      return [{ path, target: 'value', message: issue.message, ...(typeof offset === 'number' ? { offset } : {}) }];
    }
    default:
      return [{ path, target: 'value', message: issue.message }];
  }
};

/** YAML read a number or boolean where text was expected: show the fix with the text as written. */
const withQuoteHint = (finding: Finding, source: YamlSource, raw: unknown): Finding => {
  const value = valueAt(raw, finding.path);
  if (!finding.message.startsWith('must be a string') || (typeof value !== 'number' && typeof value !== 'boolean')) return finding;
  const written = sourceTextAt(source, finding.path) ?? String(value);
  return { ...finding, message: `${finding.message} (quote it: ${quotedExcerpt(written)})` };
};

const toIssue = (file: string, path: ConfigPath, position: Position, message: string): ConfigIssue => ({
  file,
  line: position.line,
  column: position.column,
  path: formatPath(path),
  message,
});

const byPosition = (a: ConfigIssue, b: ConfigIssue): number => a.line - b.line || a.column - b.column;

const dedupe = (issues: ConfigIssue[]): ConfigIssue[] => {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = `${issue.path}\u0000${issue.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
};

const describeRoot = (source: YamlSource): string => {
  const contents = source.document.contents;
  if (isSeq(contents)) return 'a list';
  if (isScalar(contents)) return `the single value ${quotedExcerpt(String(contents.value))}`;
  return 'something else';
};

/** A tag policy that never applies because earlier ones take all its repositories (first match wins): which, where, and the fix. */
const shadowedPolicyWarnings = (config: DockmasterConfig, source: YamlSource): { path: ConfigPath; message: string }[] =>
  shadowedTagPolicies(config).map((shadowed) => {
    const lineOf = (index: number): number => locate(source, ['tagPolicies', index]).line;
    const earlier = shadowed.shadowedBy.map((policy) => `'${policy.name}' (tagPolicies[${policy.index}], line ${lineOf(policy.index)})`).join(' and ');
    const earliest = shadowed.shadowedBy[0]?.name ?? '';
    return {
      path: ['tagPolicies', shadowed.index, 'repositories'],
      message:
        `tag policy '${shadowed.name}' (line ${lineOf(shadowed.index)}) never applies: only the first policy whose repositories match applies to a push, ` +
        `and ${earlier} already cover${shadowed.shadowedBy.length === 1 ? 's' : ''} every repository it names; ` +
        `move '${shadowed.name}' above '${earliest}', or narrow the repositories of the earlier polic${shadowed.shadowedBy.length === 1 ? 'y' : 'ies'}`,
    };
  });

/**
 * YAML text never holds C0 control characters other than tab and line breaks (YAML 1.2, c-printable); a file
 * with one is binary (an image, an archive, a compiled file) named by mistake. Said once, instead of echoing it.
 */
const CONTROL_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/;

const controlCharacterAt = (text: string): { code: number; position: Position } | undefined => {
  const match = CONTROL_CHARACTER.exec(text);
  if (match === null) return undefined;
  const before = text.slice(0, match.index);
  const line = before.split('\n').length;
  return { code: text.charCodeAt(match.index), position: { line, column: match.index - before.lastIndexOf('\n') } };
};

const notTextMessage = (code: number): string =>
  `the file is not a text file: it holds the control character U+${code.toString(16).toUpperCase().padStart(4, '0')}, which YAML text cannot contain; name the YAML configuration file (dockmaster.yaml)`;

/** Reads and checks a configuration. Pure: the caller reads the file; `file` is only used in the issues. */
const loadConfig = (text: string, file: string, options: LoadOptions = {}): ConfigLoadResult => {
  // Before parsing: the time and memory of parsing grow with the text, and nothing larger can be deployed.
  const bytes = configByteSize(text);
  if (bytes > CONFIG_MAX_BYTES) return { ok: false, issues: [toIssue(file, [], START, configTooLargeMessage(bytes, 'the file'))] };
  const binary = controlCharacterAt(text);
  if (binary !== undefined) return { ok: false, issues: [toIssue(file, [], binary.position, notTextMessage(binary.code))] };
  const source = parseYamlSource(text);
  const yamlIssues = source.problems.map((problem) => toIssue(file, problem.path, problem.position, problem.message));
  if (source.problems.some((problem) => !problem.recoverable)) return { ok: false, issues: yamlIssues };

  const contents = source.document.contents;
  if (contents === null || (isScalar(contents) && contents.value === null)) {
    return { ok: false, issues: [toIssue(file, [], START, EMPTY_FILE)] };
  }
  if (!isMap(contents)) {
    const message = `the file must be a YAML mapping of settings (version: 1, registry: ...), but it holds ${describeRoot(source)}`;
    return { ok: false, issues: [toIssue(file, [], locate(source, []), message)] };
  }

  let raw: unknown;
  try {
    raw = toPlainData(source);
  } catch (error) {
    // The only throw left is yaml's alias-expansion guard ("billion laughs"); report it, never a stack trace.
    const reason = errorMessage(error);
    return { ok: false, issues: [...yamlIssues, toIssue(file, [], START, `YAML could not be read: ${reason}`)] };
  }

  // Aliases can make the data larger than the text; the deploy stores the data as compact JSON.
  const storedBytes = configByteSize(JSON.stringify(raw) ?? '');
  if (storedBytes > CONFIG_MAX_BYTES) {
    return { ok: false, issues: [toIssue(file, [], START, configTooLargeMessage(storedBytes, 'the configuration with its aliases expanded, as the deploy stores it (compact JSON),'))] };
  }

  // Another version means another format: checking it against this one would only produce noise.
  const version = valueAt(raw, ['version']);
  if (typeof version === 'number' && version !== 1) {
    const message = `unsupported configuration version ${version}: this Dockmaster reads version 1; use a Dockmaster release that supports version ${version}`;
    return { ok: false, issues: [toIssue(file, ['version'], locate(source, ['version']), message)] };
  }

  const parsed = DockmasterConfigSchema.safeParse(raw, { error: configErrorMap });
  const findings: Finding[] = [
    ...(parsed.success ? [] : parsed.error.issues.flatMap((issue) => findingsOf(issue, [], raw))),
    ...semanticIssues(raw).map((issue) => ({ ...issue, target: 'value' as const })),
  ].map((finding) => withQuoteHint(finding, source, raw));
  const issues = dedupe([
    ...yamlIssues,
    ...findings.map((finding) => {
      const position = finding.offset === undefined ? locate(source, finding.path, finding.target) : locateInValue(source, finding.path, finding.offset);
      return toIssue(file, finding.path, position, finding.message);
    }),
  ]).sort(byPosition);

  if (!parsed.success || issues.length > 0) return { ok: false, issues };
  const warnings = [...expiredExceptions(parsed.data, options.now ?? new Date()), ...modeWarnings(parsed.data), ...unownedImageWarnings(parsed.data), ...tagImmutabilityWarnings(parsed.data), ...shadowedPolicyWarnings(parsed.data, source)]
    .map((warning) => toIssue(file, warning.path, locate(source, warning.path), warning.message))
    .sort(byPosition);
  return { ok: true, config: parsed.data, warnings };
};

/** loadConfig for callers that cannot go on without a valid configuration. */
const parseConfigOrThrow = (text: string, file: string, options: LoadOptions = {}): DockmasterConfig => {
  const result = loadConfig(text, file, options);
  if (!result.ok) throw new ConfigInvalidError(result.issues);
  return result.config;
};

export { loadConfig, parseConfigOrThrow };
export type { ConfigLoadResult, LoadOptions };
