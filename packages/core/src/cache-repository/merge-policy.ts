// jsonc-parser (Microsoft's parser behind VS Code's JSON support) gives each node's source offset and
// length; JSON.parse does not, and keeping other people's statements byte-for-byte needs exactly that.
import { getNodeValue, parseTree, type Node } from 'jsonc-parser';
import { InvalidRepositoryPolicyError, PolicyTooLargeError, REPOSITORY_POLICY_MAX_CHARS } from './errors.js';
import { samePolicy, sameStatement } from './normalise-policy.js';
import { isDockmasterStatement, type PolicyStatement } from './pull-statements.js';

/** A repository policy document. */
type PolicyDocument = {
  Version?: string;
  Statement: unknown[] | unknown;
  [key: string]: unknown;
};

/** Which of Dockmaster's statements (by Sid) the merge adds, removes or replaces with different content. */
type PolicyDiff = { added: string[]; removed: string[]; replaced: string[] };

type MergeRepositoryPolicyInput = {
  repository: string;
  /** The policy text GetRepositoryPolicy returned; undefined when the repository has none. */
  currentPolicyText: string | undefined;
  /** Dockmaster's statements (every Sid starts with Dockmaster); [] removes Dockmaster's statements. */
  statements: readonly PolicyStatement[];
};

type MergedRepositoryPolicy = {
  /** False when the merged policy means the same as the current one: skip SetRepositoryPolicy. */
  changed: boolean;
  /**
   * True when no statement is left. Call DeleteRepositoryPolicy (when `changed`) rather than
   * SetRepositoryPolicy: a policy without statements grants nothing and is not a valid IAM policy.
   */
  empty: boolean;
  policyText: string;
  policy: PolicyDocument;
  diff: PolicyDiff;
};

const POLICY_VERSION = '2012-10-17';

type CurrentPolicy = { text: string; value: Record<string, unknown>; root: Node };

const parseCurrent = (repository: string, text: string | undefined): CurrentPolicy | undefined => {
  // ECR has no such thing as an empty policy; a blank text is treated like "no policy".
  if (text === undefined || text.trim() === '') return undefined;
  let value: unknown;
  try {
    // JSON.parse first: jsonc-parser is lenient (comments, trailing commas) and ECR's text must be strict JSON.
    value = JSON.parse(text);
  } catch (error) {
    throw new InvalidRepositoryPolicyError(repository, `is not valid JSON (${(error as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidRepositoryPolicyError(repository, 'is not a JSON object');
  }
  const root = parseTree(text, [], { disallowComments: true, allowTrailingComma: false });
  if (!root) throw new InvalidRepositoryPolicyError(repository, 'could not be parsed');
  const statement = (value as Record<string, unknown>)['Statement'];
  if (statement !== undefined && (typeof statement !== 'object' || statement === null)) {
    throw new InvalidRepositoryPolicyError(repository, 'has a "Statement" that is neither an object nor a list');
  }
  return { text, value: value as Record<string, unknown>, root };
};

/** The value node of the root's last "Statement" property (the one JSON.parse keeps on duplicates). */
const statementValueNode = (root: Node): Node | undefined => {
  let found: Node | undefined;
  for (const property of root.children ?? []) {
    const [key, value] = property.children ?? [];
    if (key?.value === 'Statement' && value) found = value;
  }
  return found;
};

const slice = (text: string, node: Node): string => text.slice(node.offset, node.offset + node.length);

const sidOf = (statement: unknown): string => (statement as { Sid: string }).Sid;

/**
 * Splices the new Statement list into the current text: everything outside the list and every statement
 * Dockmaster did not write stays exactly as it was; Dockmaster's statements go last, compact.
 */
const spliceStatements = (
  repository: string,
  current: CurrentPolicy,
  rendered: readonly PolicyStatement[],
): { policyText: string; previous: unknown[] } => {
  const renderedSids = new Set(rendered.map(sidOf));
  const node = statementValueNode(current.root);
  if (!node) {
    // No Statement at all: nothing to keep byte-for-byte, so the document is re-serialised with one.
    return { policyText: JSON.stringify({ ...current.value, Statement: rendered }), previous: [] };
  }
  const elements = node.type === 'array' ? (node.children ?? []) : [node];
  const kept: string[] = [];
  const previous: unknown[] = [];
  for (const element of elements) {
    const value: unknown = getNodeValue(element);
    if (isDockmasterStatement(value)) {
      previous.push(value);
      continue;
    }
    // Sids are unique within a policy: a statement Dockmaster did not write (a Deny, say) under a Sid Dockmaster
    // is about to write is neither overwritten nor doubled; a person renames it.
    const sid = (value as { Sid?: unknown } | null)?.Sid;
    if (typeof sid === 'string' && renderedSids.has(sid)) {
      throw new InvalidRepositoryPolicyError(repository, `has a statement Dockmaster did not write under Dockmaster's Sid "${sid}"; rename that statement's Sid`);
    }
    kept.push(slice(current.text, element));
  }
  // Reuse the list's own layout: the whitespace before its first element and before its closing bracket.
  const first = elements[0];
  const last = elements.at(-1);
  const leading = node.type === 'array' && first ? current.text.slice(node.offset + 1, first.offset) : '';
  const trailing = node.type === 'array' && last ? current.text.slice(last.offset + last.length, node.offset + node.length - 1) : '';
  const items = [...kept, ...rendered.map((statement) => JSON.stringify(statement))];
  const list = items.length === 0 ? '[]' : `[${leading}${items.join(`,${leading}`)}${trailing}]`;
  const policyText = current.text.slice(0, node.offset) + list + current.text.slice(node.offset + node.length);
  return { policyText, previous };
};

const diffStatements = (previous: readonly unknown[], next: readonly PolicyStatement[]): PolicyDiff => {
  const before = new Map(previous.map((statement) => [sidOf(statement), statement]));
  const after = new Map(next.map((statement) => [sidOf(statement), statement]));
  const added = [...after.keys()].filter((sid) => !before.has(sid));
  const removed = [...before.keys()].filter((sid) => !after.has(sid));
  const replaced = [...after.keys()].filter((sid) => before.has(sid) && !sameStatement(before.get(sid), after.get(sid)));
  return { added, removed, replaced };
};

const statementCount = (policy: PolicyDocument): number =>
  Array.isArray(policy.Statement) ? policy.Statement.length : policy.Statement === undefined ? 0 : 1;

/**
 * Merges Dockmaster's statements into a repository's current policy: statements Dockmaster did not write
 * are kept byte-for-byte, Dockmaster's own (by Sid prefix) are replaced. Throws PolicyTooLargeError when
 * the result exceeds ECR's 10,240 characters and InvalidRepositoryPolicyError when the current text is
 * not a JSON policy document.
 */
const mergeRepositoryPolicy = ({ repository, currentPolicyText, statements }: MergeRepositoryPolicyInput): MergedRepositoryPolicy => {
  for (const statement of statements) {
    if (!isDockmasterStatement(statement)) throw new Error(`Dockmaster statement without a Dockmaster Sid: ${JSON.stringify(statement)}`);
  }
  const current = parseCurrent(repository, currentPolicyText);
  const { policyText, previous } = current
    ? spliceStatements(repository, current, statements)
    : { policyText: JSON.stringify({ Version: POLICY_VERSION, Statement: statements }), previous: [] };
  const policy = JSON.parse(policyText) as PolicyDocument;
  const empty = statementCount(policy) === 0;
  // ECR counts characters; policies are ASCII in practice, so UTF-16 length is the same number.
  if (!empty && policyText.length > REPOSITORY_POLICY_MAX_CHARS) throw new PolicyTooLargeError(repository, policyText.length);
  const changed = current ? !samePolicy(current.value, policy) : !empty;
  return { changed, empty, policyText, policy, diff: diffStatements(previous, statements) };
};

export { mergeRepositoryPolicy, POLICY_VERSION };
export type { MergedRepositoryPolicy, MergeRepositoryPolicyInput, PolicyDiff, PolicyDocument };
