import type { PullThroughCacheConfig } from '../config/index.js';
import { CacheMode } from '../constants.js';
import { accountRootArn, type Partition } from '../topology/arn.js';

/** An IAM policy statement, as far as Dockmaster reads or writes one. */
type PolicyStatement = {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: '*' | Record<string, string | string[]>;
  Action?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
  [key: string]: unknown;
};

/** The prefix of the Sids Dockmaster writes (a name, not a claim: other writers may use it too). */
const DOCKMASTER_SID_PREFIX = 'Dockmaster';

/**
 * Exactly what a pull needs, including a first pull through the cache (BatchImportUpstreamImage):
 * ecr-facts "PTC IAM", ecr-pitfalls 3 and 7. Nothing that writes or deletes.
 */
const PULL_ACTIONS = [
  'ecr:BatchGetImage',
  'ecr:GetDownloadUrlForLayer',
  'ecr:BatchCheckLayerAvailability',
  'ecr:BatchImportUpstreamImage',
] as const;

/** Copy-mode repositories have no pull-through cache rule behind them: a pull never imports, so no BatchImportUpstreamImage. */
const COPY_PULL_ACTIONS = PULL_ACTIONS.filter((action) => action !== 'ecr:BatchImportUpstreamImage');

const SID_PULL_ACCOUNTS = `${DOCKMASTER_SID_PREFIX}PullAccounts`;
const SID_PULL_ORGANIZATIONS = `${DOCKMASTER_SID_PREFIX}PullOrganizations`;

/**
 * Exactly the Sids Dockmaster writes. The merge owns only these, and only as Allow statements: a statement
 * someone else wrote under a similar name (`DockmasterTeamDenyDelete`), or a Deny under one of these names,
 * is theirs and stays untouched.
 */
const DOCKMASTER_SIDS: readonly string[] = [SID_PULL_ACCOUNTS, SID_PULL_ORGANIZATIONS];

const unique = (values: readonly string[]): string[] => [...new Set(values)];

/**
 * The pull-only statements a rule grants: one for the listed accounts (their root principals, in the
 * registry's partition: `arn:aws-cn:iam::...:root` in China), one for
 * the listed organisations (a copy-mode rule without the pull-through import). The organisation grant uses a `*` principal, so it is always restricted by
 * `aws:PrincipalOrgID`; with no organisations there is no such statement at all.
 */
const renderPullStatements = (
  rule: Pick<PullThroughCacheConfig, 'repositoryPolicy'> & Partial<Pick<PullThroughCacheConfig, 'mode'>>,
  partition: Partition,
): PolicyStatement[] => {
  const accounts = unique(rule.repositoryPolicy?.pullAccounts ?? []);
  const organizations = unique(rule.repositoryPolicy?.pullOrganizations ?? []);
  const actions = rule.mode === CacheMode.Copy ? COPY_PULL_ACTIONS : PULL_ACTIONS;
  const statements: PolicyStatement[] = [];
  if (accounts.length > 0) {
    statements.push({
      Sid: SID_PULL_ACCOUNTS,
      Effect: 'Allow',
      Principal: { AWS: accounts.map((account) => accountRootArn(partition, account)) },
      Action: [...actions],
    });
  }
  if (organizations.length > 0) {
    statements.push({
      Sid: SID_PULL_ORGANIZATIONS,
      Effect: 'Allow',
      Principal: '*',
      Action: [...actions],
      Condition: { StringEquals: { 'aws:PrincipalOrgID': organizations } },
    });
  }
  return statements;
};

/** True for a statement Dockmaster wrote: an Allow under exactly one of DOCKMASTER_SIDS. */
const isDockmasterStatement = (statement: unknown): boolean => {
  if (typeof statement !== 'object' || statement === null) return false;
  const { Sid: sid, Effect: effect } = statement as { Sid?: unknown; Effect?: unknown };
  return typeof sid === 'string' && DOCKMASTER_SIDS.includes(sid) && effect === 'Allow';
};

export { COPY_PULL_ACTIONS, DOCKMASTER_SID_PREFIX, DOCKMASTER_SIDS, isDockmasterStatement, PULL_ACTIONS, renderPullStatements };
export type { PolicyStatement };
