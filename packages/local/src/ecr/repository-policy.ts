import { AwsServiceError } from '../aws-endpoint/aws-service-error.js';
import { invalidParameter } from './ecr-errors.js';
import { parseJsonObject, requireRepository } from './ecr-state.js';
import type { EcrState, RepositoryState } from './ecr-state.js';

/** Repository policies: SetRepositoryPolicy, GetRepositoryPolicy, DeleteRepositoryPolicy. */

const MAX_POLICY_CHARS = 10_240;

type Repositories = Pick<EcrState, 'repositories' | 'registryId'>;

function policyNotFound(ecr: Repositories, state: RepositoryState): AwsServiceError {
  return new AwsServiceError(
    'RepositoryPolicyNotFoundException',
    `Repository policy does not exist for the repository with name '${state.repositoryName}' in the registry with id '${ecr.registryId}'`,
  );
}

function setRepositoryPolicy(ecr: Repositories, input: { repositoryName: string; policyText: string }): object {
  const state = requireRepository(ecr, input.repositoryName);
  if (input.policyText.length > MAX_POLICY_CHARS) {
    throw invalidParameter(`Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Member must have length less than or equal to ${MAX_POLICY_CHARS}'`);
  }
  // ECR-GUESS: only JSON syntax is checked locally; real ECR also validates principals ('Invalid repository policy provided').
  if (parseJsonObject(input.policyText) === undefined) {
    throw invalidParameter("Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Invalid repository policy provided'");
  }
  state.policyText = input.policyText;
  return { registryId: ecr.registryId, repositoryName: state.repositoryName, policyText: state.policyText };
}

function getRepositoryPolicy(ecr: Repositories, input: { repositoryName: string }): object {
  const state = requireRepository(ecr, input.repositoryName);
  if (state.policyText === undefined) throw policyNotFound(ecr, state);
  return { registryId: ecr.registryId, repositoryName: state.repositoryName, policyText: state.policyText };
}

function deleteRepositoryPolicy(ecr: Repositories, input: { repositoryName: string }): object {
  const state = requireRepository(ecr, input.repositoryName);
  const policyText = state.policyText;
  if (policyText === undefined) throw policyNotFound(ecr, state);
  state.policyText = undefined;
  return { registryId: ecr.registryId, repositoryName: state.repositoryName, policyText };
}

export { deleteRepositoryPolicy, getRepositoryPolicy, setRepositoryPolicy };
