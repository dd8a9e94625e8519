import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, Scalar, visit, type Document, type Node } from 'yaml';
import { collapseToOneLine, quotedExcerpt } from '../shared/index.js';
import type { ConfigPath } from './semantic.js';

/*
 * The YAML side of loading: parse with positions (the yaml package's parseDocument + LineCounter),
 * turn syntax errors into located problems, and map a config path back to a line and column.
 */

interface Position {
  line: number;
  column: number;
}

/** A problem found while reading YAML, before the schema sees the data. */
interface YamlProblem {
  path: ConfigPath;
  position: Position;
  message: string;
  /** Duplicate keys do not garble the rest of the document, so validation may go on after them. */
  recoverable: boolean;
}

interface YamlSource {
  text: string;
  document: Document.Parsed;
  lineCounter: LineCounter;
  problems: YamlProblem[];
}

type Target = 'key' | 'value';

const START: Position = { line: 1, column: 1 };

const positionAt = (lineCounter: LineCounter, offset: number): Position => {
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col };
};

const contains = (node: Node | null | undefined, offset: number): boolean =>
  node?.range !== undefined && node.range !== null && node.range[0] <= offset && offset < Math.max(node.range[2], node.range[0] + 1);

const keyName = (key: unknown): string | number | undefined => {
  if (!isScalar(key)) return undefined;
  const { value } = key;
  return typeof value === 'number' ? value : String(value);
};

/** The config path of the innermost node at an offset, and where that node starts: names the place of a YAML error. */
const innermostAt = (node: unknown, offset: number, path: ConfigPath = []): { path: ConfigPath; start: number | undefined } => {
  const here = { path, start: (node as Node | null | undefined)?.range?.[0] };
  if (isMap(node)) {
    for (const pair of node.items) {
      const name = keyName(pair.key);
      if (name === undefined) continue;
      if (contains(pair.key as Node, offset)) return { path: [...path, name], start: (pair.key as Node).range?.[0] };
      if (contains(pair.value as Node, offset)) return innermostAt(pair.value, offset, [...path, name]);
    }
  }
  if (isSeq(node)) {
    const index = node.items.findIndex((item) => contains(item as Node, offset));
    const item = node.items[index];
    if (item !== undefined) return innermostAt(item, offset, [...path, index]);
  }
  return here;
};

const pathAtOffset = (node: unknown, offset: number): ConfigPath => innermostAt(node, offset).path;

/**
 * Where to point for a YAML error reported at `offset`. yaml reports a bad indentation at the start of the line
 * (column 1) and an unclosed quote or bracket at the end of the file; the author looks for the key that is
 * misplaced or the value left open, so point there: past the indentation, or at the node holding the last text.
 */
const errorOffset = (text: string, contents: unknown, offset: number): number => {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const indentation = /^ */.exec(text.slice(lineStart))?.[0].length ?? 0;
  const firstText = lineStart + indentation;
  if (offset < firstText && text[firstText] !== undefined && text[firstText] !== '\n' && text[firstText] !== '\r') return firstText;
  if (text.slice(offset).trim() !== '') return offset;
  const lastText = text.trimEnd().length - 1;
  if (lastText < 0) return offset;
  return innermostAt(contents, lastText).start ?? lastText;
};

const describeYamlError = (code: string, path: ConfigPath, message: string): string => {
  if (code === 'DUPLICATE_KEY') {
    const key = path.at(-1);
    return `duplicate key${key === undefined ? '' : ` ${quotedExcerpt(String(key), "'")}`}: keys must be unique within a mapping (YAML keeps only one of them)`;
  }
  if (code === 'MULTIPLE_DOCS') return "the file holds more than one YAML document (a second '---'); put the whole configuration in one document";
  // The yaml library's message ends with a code frame on further lines and a full stop: one clause here.
  return `YAML syntax error: ${collapseToOneLine(message).trim().replace(/\.$/, '')}`;
};

/** yaml only notices an alias without anchor when converting to data, and then throws without a position. */
const unresolvedAliases = (document: Document.Parsed, lineCounter: LineCounter): YamlProblem[] => {
  const problems: YamlProblem[] = [];
  visit(document, {
    Alias: (_key, node) => {
      if (node.resolve(document) !== undefined || !node.range) return;
      problems.push({
        path: pathAtOffset(document.contents, node.range[0]),
        position: positionAt(lineCounter, node.range[0]),
        message: `alias ${quotedExcerpt(`*${node.source}`, "'")} refers to no anchor: define ${quotedExcerpt(`&${node.source}`, "'")} before it`,
        recoverable: false,
      });
    },
  });
  return problems;
};

/** Parses YAML 1.2 (core schema: 2027-01-31 stays a string, yes/no stay strings) keeping node positions. */
const parseYamlSource = (text: string): YamlSource => {
  const lineCounter = new LineCounter();
  // prettyErrors off: its messages span several lines with a code excerpt; positions come from the LineCounter.
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const problems = [...document.errors, ...document.warnings].map((error) => {
    const offset = errorOffset(text, document.contents, error.pos[0]);
    const path = pathAtOffset(document.contents, offset);
    return {
      path,
      position: positionAt(lineCounter, offset),
      message: describeYamlError(error.code, path, error.message),
      recoverable: error.code === 'DUPLICATE_KEY',
    };
  });
  return { text, document, lineCounter, problems: [...problems, ...unresolvedAliases(document, lineCounter)] };
};

const resolve = (source: YamlSource, node: unknown): unknown => (isAlias(node) ? node.resolve(source.document) : node);

const startOf = (source: YamlSource, node: unknown): Position | undefined => {
  const range = (node as Node | null | undefined)?.range;
  return range ? positionAt(source.lineCounter, range[0]) : undefined;
};

/** An absent value (`key:` with nothing after it) has no place of its own; its key does. */
const isEmptyScalar = (node: unknown): boolean =>
  isScalar(node) && node.value === null && node.range !== undefined && node.range !== null && node.range[0] === node.range[1];

/**
 * Where a config path is written: the value (or, for `target: 'key'`, the key). When the path does not exist
 * (a missing required key), the deepest mapping or list that does exist: the parent to add the key to.
 */
const locate = (source: YamlSource, path: ConfigPath, target: Target = 'value'): Position => {
  let node: unknown = source.document.contents;
  let key: unknown;
  for (const segment of path) {
    node = resolve(source, node);
    if (isMap(node)) {
      const pair = node.items.find((item) => keyName(item.key) !== undefined && String(keyName(item.key)) === String(segment));
      if (pair === undefined) return startOf(source, node) ?? START;
      key = pair.key;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number' && node.items[segment] !== undefined) {
      key = undefined;
      node = node.items[segment];
    } else {
      return startOf(source, node) ?? startOf(source, key) ?? START;
    }
  }
  if ((target === 'key' || node === null || isEmptyScalar(node)) && key !== undefined) return startOf(source, key) ?? START;
  return startOf(source, node) ?? START;
};

/** Characters an escape takes in a double-quoted YAML scalar for one character of the value (\\x41, \\u0041, \\U00000041). */
const ESCAPE_LENGTH: Record<string, number> = { x: 4, u: 6, U: 10 };

/**
 * Source index (from the scalar's first character) of character `offset` of a one-line scalar's value; undefined
 * when the scalar spans lines or uses an escape this does not follow, and the caller points at the value's start.
 */
const sourceIndexInScalar = (written: string, type: Scalar.Type | undefined, offset: number): number | undefined => {
  if (written.includes('\n')) return undefined;
  if (type === Scalar.PLAIN) return offset;
  if (type !== Scalar.QUOTE_SINGLE && type !== Scalar.QUOTE_DOUBLE) return undefined;
  let index = 1;
  for (let character = 0; character < offset; character += 1) {
    if (index >= written.length) return undefined;
    if (type === Scalar.QUOTE_SINGLE) index += written.startsWith("''", index) ? 2 : 1;
    else if (written[index] === '\\') index += ESCAPE_LENGTH[written[index + 1] ?? ''] ?? 2;
    else index += 1;
  }
  return index;
};

/** Where character `offset` of the value at `path` is written (a regular expression's error); else the value's start. */
const locateInValue = (source: YamlSource, path: ConfigPath, offset: number): Position => {
  let node: unknown = source.document.contents;
  for (const segment of path) {
    node = resolve(source, node);
    if (isMap(node)) node = node.items.find((item) => String(keyName(item.key)) === String(segment))?.value;
    else if (isSeq(node) && typeof segment === 'number') node = node.items[segment];
    else return locate(source, path);
  }
  if (!isScalar(node) || !node.range) return locate(source, path);
  const written = source.text.slice(node.range[0], node.range[1]);
  const index = sourceIndexInScalar(written, node.type, offset);
  return index === undefined ? locate(source, path) : positionAt(source.lineCounter, node.range[0] + index);
};

/** The source text of the value at a path, as written (keeps leading zeros YAML dropped when it read a number). */
const sourceTextAt = (source: YamlSource, path: ConfigPath): string | undefined => {
  let node: unknown = source.document.contents;
  for (const segment of path) {
    node = resolve(source, node);
    if (isMap(node)) node = node.items.find((item) => String(keyName(item.key)) === String(segment))?.value;
    else if (isSeq(node) && typeof segment === 'number') node = node.items[segment];
    else return undefined;
  }
  const range = (node as Node | null | undefined)?.range;
  return range ? source.text.slice(range[0], range[1]) : undefined;
};

/**
 * The document as plain data. Timestamps (only produced by `%YAML 1.1` or an explicit `!!timestamp` tag) are
 * put back to the text the author wrote: a Date would have rolled 2027-02-30 over to March 2 without a word.
 */
const toPlainData = (source: YamlSource): unknown => {
  visit(source.document, {
    Scalar: (_key, node) => {
      if (node.value instanceof Date && node.range) node.value = source.text.slice(node.range[0], node.range[1]).trim();
    },
  });
  return source.document.toJS({ maxAliasCount: 100 });
};

export { locate, locateInValue, parseYamlSource, positionAt, sourceTextAt, toPlainData, START };
export type { Position, YamlProblem, YamlSource };
