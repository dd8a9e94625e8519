import type { PullThroughCacheConfig } from '../config/index.js';
import { CacheMode } from '../constants.js';

/** An IAM policy statement, as far as Dockmaster reads or writes one. */
type PolicyStatement = {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: '*' | Record<string, string | string[]>;
  Action?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
  [key: string]: unknown;
};

/** Dockmaster recognises its own statements by this Sid prefix; every other statement is left alone. */
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

const unique = (values: readonly string[]): string[] => [...new Set(values)];

/**
 * The pull-only statements a rule grants: one for the listed accounts (their root principals), one for
 * the listed organisations (a copy-mode rule without the pull-through import). The organisation grant uses a `*` principal, so it is always restricted by
 * `aws:PrincipalOrgID`; with no organisations there is no such statement at all.
 */
const renderPullStatements = (rule: Pick<PullThroughCacheConfig, 'repositoryPolicy'> & Partial<Pick<PullThroughCacheConfig, 'mode'>>): PolicyStatement[] => {
  const accounts = unique(rule.repositoryPolicy?.pullAccounts ?? []);
  const organizations = unique(rule.repositoryPolicy?.pullOrganizations ?? []);
  const actions = rule.mode === CacheMode.Copy ? COPY_PULL_ACTIONS : PULL_ACTIONS;
  const statements: PolicyStatement[] = [];
  if (accounts.length > 0) {
    statements.push({
      Sid: SID_PULL_ACCOUNTS,
      Effect: 'Allow',
      Principal: { AWS: accounts.map((account) => `arn:aws:iam::${account}:root`) },
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

/** True for a statement Dockmaster wrote (by its Sid). */
const isDockmasterStatement = (statement: unknown): boolean =>
  typeof statement === 'object' &&
  statement !== null &&
  typeof (statement as { Sid?: unknown }).Sid === 'string' &&
  (statement as { Sid: string }).Sid.startsWith(DOCKMASTER_SID_PREFIX);

export { COPY_PULL_ACTIONS, DOCKMASTER_SID_PREFIX, isDockmasterStatement, PULL_ACTIONS, renderPullStatements };
export type { PolicyStatement };
