import { UserFacingError } from '../errors.js';

/** ECR's limit on `policyText` (SetRepositoryPolicy) and on a creation template's repositoryPolicy. */
const REPOSITORY_POLICY_MAX_CHARS = 10_240;

const FEWER_GRANTEES =
  'list fewer pullAccounts/pullOrganizations under pullThroughCache in the Dockmaster config (one organisation instead of many accounts)';

/**
 * A repository policy Dockmaster would write exceeds ECR's limit; nothing is written.
 * `repository` is the repository name, or `<prefix>/*` for a repository creation template's policy.
 */
class PolicyTooLargeError extends UserFacingError {
  public readonly repository: string;
  public readonly size: number;

  public constructor(repository: string, size: number, where: 'repository' | 'creation-template' = 'repository') {
    const fix =
      where === 'repository'
        ? `Shorten the statements Dockmaster did not write (aws ecr get-repository-policy --repository-name ${repository}), or ${FEWER_GRANTEES}.`
        : `The template holds only Dockmaster's statements: ${FEWER_GRANTEES}.`;
    super(
      'POLICY_TOO_LARGE',
      `The ${where === 'repository' ? 'repository policy' : 'repository creation template policy'} for "${repository}" would be ` +
        `${size.toLocaleString('en-US')} characters, over ECR's ${REPOSITORY_POLICY_MAX_CHARS.toLocaleString('en-US')}-character limit, ` +
        `so Dockmaster left it unchanged. ${fix}`,
    );
    this.name = 'PolicyTooLargeError';
    this.repository = repository;
    this.size = size;
  }
}

/** The repository's current policy cannot be merged into (not JSON, or not a policy document). */
class InvalidRepositoryPolicyError extends UserFacingError {
  public readonly repository: string;

  public constructor(repository: string, problem: string) {
    super(
      'INVALID_REPOSITORY_POLICY',
      `The current repository policy of "${repository}" ${problem}, so Dockmaster cannot merge its statements into it. ` +
        `Fix or delete it (aws ecr get-repository-policy / delete-repository-policy --repository-name ${repository}); ` +
        'Dockmaster re-applies its statements on the next event or drift check.',
    );
    this.name = 'InvalidRepositoryPolicyError';
    this.repository = repository;
  }
}

export { InvalidRepositoryPolicyError, PolicyTooLargeError, REPOSITORY_POLICY_MAX_CHARS };
