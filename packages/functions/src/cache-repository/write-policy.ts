import type { Logger } from '@aws-lambda-powertools/logger';
import { mergeRepositoryPolicy, type MergedRepositoryPolicy, type PolicyStatement } from '@dockmaster/core/cache-repository';
import type { EcrRepositories } from '../adapters/ecr-repositories.js';

/** Re-merges before giving up when other writers keep changing the policy under us. */
const MAX_POLICY_WRITE_ATTEMPTS = 3;

type PolicyWriteInput = {
  repository: string;
  ecr: Pick<EcrRepositories, 'getRepositoryPolicy' | 'setRepositoryPolicy' | 'deleteRepositoryPolicy'>;
  /** Dockmaster's statements for the repository. */
  statements: readonly PolicyStatement[];
  /** The policy text the worker read and decided on. */
  readPolicyText: string | undefined;
  logger: Logger;
  /** Why the policy is written, for the log line. */
  reason: string;
};

type PolicyWriteResult =
  /** The policy already held Dockmaster's statements when we were about to write: somebody else wrote them. */
  | { written: false; basis: string | undefined }
  /** `merged` is what was written; `basis` the policy it was merged into. */
  | { written: true; merged: MergedRepositoryPolicy; basis: string | undefined };

/** Other writers kept replacing the policy; the record is retried later (and the sweep converges anyway). */
class PolicyContentionError extends Error {
  public readonly repository: string;

  public constructor(repository: string) {
    super(
      `the repository policy of ${repository} changed under every one of ${MAX_POLICY_WRITE_ATTEMPTS} write attempts (another tool or person is writing it); ` +
        'nothing was lost, the record is retried later',
    );
    this.name = 'PolicyContentionError';
    this.repository = repository;
  }
}

const merge = (repository: string, policyText: string | undefined, statements: readonly PolicyStatement[]) =>
  mergeRepositoryPolicy({ repository, currentPolicyText: policyText, statements });

/**
 * Writes Dockmaster's statements without losing statements other writers add meanwhile. ECR's
 * SetRepositoryPolicy has no condition (no version, no ETag), so a plain read-merge-write overwrites
 * whatever a person or tool wrote between our read and our write. Hence, for each attempt:
 * - re-read right before writing and merge again if the policy changed since it was read, which shrinks
 *   the window to the write call itself;
 * - re-read after writing: a policy that no longer holds our statements means another writer replaced it
 *   with a version based on an older read, so we merge into theirs and write again.
 * Dockmaster's own workers do not race each other here: they hold the repository's lease (repository-lock.ts).
 */
const writeRepositoryPolicy = async ({ repository, ecr, statements, readPolicyText, logger, reason }: PolicyWriteInput): Promise<PolicyWriteResult> => {
  let basis = readPolicyText;
  for (let attempt = 1; attempt <= MAX_POLICY_WRITE_ATTEMPTS; attempt += 1) {
    const latest = await ecr.getRepositoryPolicy(repository);
    if (latest !== basis) {
      logger.info(`the repository policy of ${repository} changed since it was read (another writer); merging into the new version`, { repository, attempt });
      basis = latest;
    }
    const merged = merge(repository, basis, statements);
    if (!merged.changed) return { written: false, basis };

    // Structured: a fixed message, and what changed (by Sid) in fields, so the lines can be queried and counted.
    const fields = { repository, reason, added: merged.diff.added, removed: merged.diff.removed, replaced: merged.diff.replaced, dockmasterStatements: statements.length };
    if (merged.empty) {
      logger.info('deleting the repository policy: it held only Dockmaster statements and the rule grants nobody now', fields);
      await ecr.deleteRepositoryPolicy(repository);
    } else {
      logger.info("setting the repository policy: Dockmaster's pull statements differ from the rule", { ...fields, policyChars: merged.policyText.length });
      await ecr.setRepositoryPolicy(repository, merged.policyText);
    }

    const after = await ecr.getRepositoryPolicy(repository);
    if (!merge(repository, after, statements).changed) return { written: true, merged, basis };
    logger.warn(`another writer replaced the repository policy of ${repository} right after our write, without Dockmaster's statements; merging again`, {
      repository,
      attempt,
    });
    basis = after;
  }
  throw new PolicyContentionError(repository);
};

export { MAX_POLICY_WRITE_ATTEMPTS, PolicyContentionError, writeRepositoryPolicy };
export type { PolicyWriteInput, PolicyWriteResult };
