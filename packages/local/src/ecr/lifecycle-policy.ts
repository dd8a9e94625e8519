import { AwsServiceError } from '../aws-endpoint/aws-service-error.js';
import { invalidParameter } from './ecr-errors.js';
import { parseJsonObject, requireRepository } from './ecr-state.js';
import type { EcrState, RepositoryState } from './ecr-state.js';

/** Lifecycle policies: PutLifecyclePolicy, GetLifecyclePolicy, DeleteLifecyclePolicy (stored, not run). */

const MAX_LIFECYCLE_POLICY_CHARS = 30_720;

type Repositories = Pick<EcrState, 'repositories' | 'registryId'>;

function lifecyclePolicyNotFound(ecr: Repositories, state: RepositoryState): AwsServiceError {
  return new AwsServiceError(
    'LifecyclePolicyNotFoundException',
    `Lifecycle policy does not exist for the repository with name '${state.repositoryName}' in the registry with id '${ecr.registryId}'`,
  );
}

function putLifecyclePolicy(ecr: Repositories, input: { repositoryName: string; lifecyclePolicyText: string }): object {
  const state = requireRepository(ecr, input.repositoryName);
  if (input.lifecyclePolicyText.length > MAX_LIFECYCLE_POLICY_CHARS) {
    throw invalidParameter(`Invalid parameter at 'LifecyclePolicyText' failed to satisfy constraint: 'Member must have length less than or equal to ${MAX_LIFECYCLE_POLICY_CHARS}'`);
  }
  // ECR-GUESS: ECR validates the rules themselves too; locally only JSON with a `rules` array is required. Policies are stored, not run.
  if (!Array.isArray(parseJsonObject(input.lifecyclePolicyText)?.rules)) {
    throw invalidParameter("Invalid parameter at 'LifecyclePolicyText' failed to satisfy constraint: 'Lifecycle policy validation failure: a JSON object with a \"rules\" array is required'");
  }
  state.lifecyclePolicyText = input.lifecyclePolicyText;
  return { registryId: ecr.registryId, repositoryName: state.repositoryName, lifecyclePolicyText: state.lifecyclePolicyText };
}

function getLifecyclePolicy(ecr: Repositories, input: { repositoryName: string }): object {
  const state = requireRepository(ecr, input.repositoryName);
  if (state.lifecyclePolicyText === undefined) throw lifecyclePolicyNotFound(ecr, state);
  return { registryId: ecr.registryId, repositoryName: state.repositoryName, lifecyclePolicyText: state.lifecyclePolicyText };
}

function deleteLifecyclePolicy(ecr: Repositories, input: { repositoryName: string }): object {
  const state = requireRepository(ecr, input.repositoryName);
  const lifecyclePolicyText = state.lifecyclePolicyText;
  if (lifecyclePolicyText === undefined) throw lifecyclePolicyNotFound(ecr, state);
  state.lifecyclePolicyText = undefined;
  return { registryId: ecr.registryId, repositoryName: state.repositoryName, lifecyclePolicyText };
}

export { deleteLifecyclePolicy, getLifecyclePolicy, putLifecyclePolicy };
