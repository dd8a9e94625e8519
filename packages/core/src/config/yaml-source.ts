import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node } from 'yaml';
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

/** The config path of the innermost node at an offset: names the place of a YAML error. */
const pathAtOffset = (node: unknown, offset: number, path: ConfigPath = []): ConfigPath => {
  if (isMap(node)) {
    for (const pair of node.items) {
      const name = keyName(pair.key);
      if (name === undefined) continue;
      if (contains(pair.key as Node, offset)) return [...path, name];
      if (contains(pair.value as Node, offset)) return pathAtOffset(pair.value, offset, [...path, name]);
    }
  }
  if (isSeq(node)) {
    const index = node.items.findIndex((item) => contains(item as Node, offset));
    const item = node.items[index];
    if (item !== undefined) return pathAtOffset(item, offset, [...path, index]);
  }
  return path;
};

const oneLine = (message: string): string => message.replace(/\s+/g, ' ').trim().replace(/\.$/, '');

const describeYamlError = (code: string, path: ConfigPath, message: string): string => {
  if (code === 'DUPLICATE_KEY') {
    const key = path.at(-1);
    return `duplicate key${key === undefined ? '' : ` '${key}'`}: keys must be unique within a mapping (YAML keeps only one of them)`;
  }
  if (code === 'MULTIPLE_DOCS') return "the file holds more than one YAML document (a second '---'); put the whole configuration in one document";
  return `YAML syntax error: ${oneLine(message)}`;
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
        message: `alias '*${node.source}' refers to no anchor: define '&${node.source}' before it`,
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
    const path = pathAtOffset(document.contents, error.pos[0]);
    return {
      path,
      position: positionAt(lineCounter, error.pos[0]),
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

export { locate, parseYamlSource, positionAt, sourceTextAt, toPlainData, START };
export type { Position, YamlProblem, YamlSource };
