import type { Logger } from '@aws-lambda-powertools/logger';
import {
  type DesiredRepositorySettings,
  diffSettings,
  isDockmasterStatement,
  mergeRepositoryPolicy,
  type ManagedRule,
  renderManagedLifecyclePolicy,
  renderPullStatements,
  renderRepositorySettings,
  type PolicyDiff,
  type PolicyStatement,
  type SettingsDiff,
} from '@dockmaster/core/cache-repository';
import type { Partition } from '@dockmaster/core/topology';
import type { EcrRepositories, RepositoryDescription } from '../adapters/ecr-repositories.js';
import { writeRepositoryPolicy } from './write-policy.js';

/** What happened to the repository policy: Dockmaster's statements before and after, by Sid. */
type PolicyChange = PolicyDiff & {
  action: 'set' | 'delete';
  before: unknown[];
  after: PolicyStatement[];
};

/** Everything one run changed; the detail of the Configured / Drift Repaired events. */
type RepositoryChanges = {
  policy?: PolicyChange;
  settings?: Pick<SettingsDiff, 'changes' | 'before' | 'after'>;
};

type ConfigureRepositoryResult =
  | { outcome: 'missing' }
  | { outcome: 'unchanged' }
  /** `firstTime`: the repository carried none of Dockmaster's work before (see configureRepository). */
  | { outcome: 'changed'; firstTime: boolean; changes: RepositoryChanges };

type ConfigureRepositoryInput = {
  repository: string;
  /** A pullThroughCache entry, or a repositoryTemplates entry through the same typed fields. */
  rule: ManagedRule;
  ecr: EcrRepositories;
  logger: Logger;
  /** Whether the repository was just created; decides "first time" for rules that grant nobody. */
  justCreated: boolean;
  /** The repository's partition: the principals Dockmaster grants are named in it (`arn:aws-cn:iam::...`). */
  partition: Partition;
};

const statementsOf = (policyText: string | undefined): unknown[] => {
  if (policyText === undefined || policyText.trim() === '') return [];
  // Only called after mergeRepositoryPolicy accepted the text as a JSON policy document.
  const statement = (JSON.parse(policyText) as { Statement?: unknown }).Statement;
  if (statement === undefined) return [];
  return Array.isArray(statement) ? statement : [statement];
};

/**
 * The managed settings that differ from the rule, read now; undefined when the repository is gone. A rule
 * without lifecycle settings leaves the repository's lifecycle policy alone: it is not even read.
 */
const readSettingsDiff = async (ecr: EcrRepositories, repository: string, desired: DesiredRepositorySettings): Promise<SettingsDiff | undefined> => {
  const description = await ecr.describeRepository(repository);
  if (!description) return undefined;
  const currentLifecycle = desired.lifecyclePolicy === undefined ? undefined : await ecr.getLifecyclePolicy(repository);
  return diffSettings(
    { scanOnPush: description.scanOnPush, tagMutability: description.tagMutability, tagMutabilityExclusionFilters: description.tagMutabilityExclusionFilters, lifecyclePolicy: currentLifecycle },
    desired,
  );
};

/**
 * Brings one cache repository to what its rule asks for: Dockmaster's policy statements merged into the
 * current policy, scan on push, tag mutability and the lifecycle policy. Everything is read and the merge
 * checked first (a too-large policy throws PolicyTooLargeError before any write), then only what differs
 * is written, each write logged with its reason; settings are read again right before they are written
 * when the policy writes came in between. The policy is written by writeRepositoryPolicy, which keeps
 * statements other writers add meanwhile; callers hold the repository's lease against Dockmaster's own workers.
 *
 * `firstTime` is true when the repository was just created (an event said so), or when the current policy held
 * no Dockmaster statement although the rule grants pulls: the repository was never configured. A rule that
 * grants nobody leaves no trace in the policy, so there only the creation event tells.
 */
const configureRepository = async ({ repository, rule, ecr, logger, justCreated, partition }: ConfigureRepositoryInput): Promise<ConfigureRepositoryResult> => {
  const desiredSettings = renderRepositorySettings(rule);
  const desired: DesiredRepositorySettings = { ...desiredSettings, lifecyclePolicy: renderManagedLifecyclePolicy(rule, repository) };
  const firstRead = await readSettingsDiff(ecr, repository, desired);
  if (!firstRead) return { outcome: 'missing' };
  const currentPolicyText = await ecr.getRepositoryPolicy(repository);

  const statements = renderPullStatements(rule, partition);
  const merged = mergeRepositoryPolicy({ repository, currentPolicyText, statements });
  if (!merged.changed && !firstRead.changed) return { outcome: 'unchanged' };

  const changes: RepositoryChanges = {};
  let previousStatements = statementsOf(currentPolicyText).filter(isDockmasterStatement);
  if (merged.changed) {
    const write = await writeRepositoryPolicy({ repository, ecr, statements, readPolicyText: currentPolicyText, logger, reason: `the rule for prefix ${rule.prefix}` });
    previousStatements = statementsOf(write.basis).filter(isDockmasterStatement);
    if (write.written) {
      const { diff, empty } = write.merged;
      changes.policy = { action: empty ? 'delete' : 'set', added: diff.added, removed: diff.removed, replaced: diff.replaced, before: previousStatements, after: statements };
    } else {
      logger.info(`the repository policy of ${repository} already holds Dockmaster's statements (written meanwhile by another writer); not written again`, { repository });
    }
  }

  // Each write replaces a whole setting, so it acts on a fresh read: after the policy writes the first read is
  // several calls old, and another writer may have changed a setting, or already fixed it, meanwhile.
  const reread = firstRead.changed && merged.changed;
  const settings = reread ? await readSettingsDiff(ecr, repository, desired) : firstRead;
  if (reread && settings?.changed !== true) {
    logger.info(`the settings of ${repository} changed since they were read (another writer): ${settings ? 'they match the rule now; nothing written' : 'the repository is gone'}`, {
      repository,
    });
  }
  // The value and its filters are one ECR setting: written once when either drifted.
  let mutabilityWritten = false;
  for (const change of settings?.changes ?? []) {
    logger.info(`setting ${change.setting} of ${repository}: the rule for prefix ${rule.prefix} asks for a different value`, {
      repository,
      setting: change.setting,
      before: change.before,
      after: change.after,
    });
    if (change.setting === 'scanOnPush') await ecr.putImageScanningConfiguration(repository, desiredSettings.scanOnPush);
    else if (change.setting === 'tagMutability' || change.setting === 'tagMutabilityExclusionFilters') {
      if (!mutabilityWritten) await ecr.putImageTagMutability(repository, desiredSettings.tagMutability, desiredSettings.tagMutabilityExclusionFilters);
      mutabilityWritten = true;
    }
    else if (desired.lifecyclePolicy !== undefined) await ecr.putLifecyclePolicy(repository, desired.lifecyclePolicy);
  }
  if (settings?.changed === true) changes.settings = { changes: settings.changes, before: settings.before, after: settings.after };
  if (changes.policy === undefined && changes.settings === undefined) return { outcome: 'unchanged' };

  // A repository a creation template just made already carries Dockmaster's statements (the template's policy is
  // rendered from the same rule): its first configuration is still "Configured", not a drift repair.
  const firstTime = justCreated || (statements.length > 0 && previousStatements.length === 0);
  return { outcome: 'changed', firstTime, changes };
};

type MatchesRuleInput = {
  /** The repository as the sweep's listing described it (DescribeRepositories pages carry its settings). */
  description: RepositoryDescription;
  rule: ManagedRule;
  ecr: Pick<EcrRepositories, 'getRepositoryPolicy' | 'getLifecyclePolicy'>;
  partition: Partition;
};

/**
 * The sweep's first look at one repository, without the lease and without writing: true when its settings
 * (from the listing), its policy and its lifecycle policy already mean what the rule asks for, compared
 * normalised (re-formatted documents and other writers' statements are not drift). Two reads, at once.
 * False sends the repository to configureRepository, which reads again under the lease before writing:
 * drift is rare, and a write must act on what the repository holds while the lease is held.
 */
const repositoryMatchesRule = async ({ description, rule, ecr, partition }: MatchesRuleInput): Promise<boolean> => {
  const repository = description.name;
  const desired: DesiredRepositorySettings = { ...renderRepositorySettings(rule), lifecyclePolicy: renderManagedLifecyclePolicy(rule, repository) };
  const [policyText, lifecyclePolicy] = await Promise.all([
    ecr.getRepositoryPolicy(repository),
    desired.lifecyclePolicy === undefined ? undefined : ecr.getLifecyclePolicy(repository),
  ]);
  if (diffSettings({ scanOnPush: description.scanOnPush, tagMutability: description.tagMutability, lifecyclePolicy }, desired).changed) return false;
  try {
    return !mergeRepositoryPolicy({ repository, currentPolicyText: policyText, statements: renderPullStatements(rule, partition) }).changed;
  } catch {
    // A policy Dockmaster cannot merge into (not JSON, too large): configureRepository reports it for this repository.
    return false;
  }
};

export { configureRepository, repositoryMatchesRule };
export type { MatchesRuleInput, ConfigureRepositoryInput, ConfigureRepositoryResult, PolicyChange, RepositoryChanges };
