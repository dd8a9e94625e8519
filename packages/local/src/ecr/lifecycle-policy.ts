import { parseJsonObject } from './ecr-state.js';
import type { EcrState } from './ecr-state.js';
import { deleteRepositoryDocument, getRepositoryDocument, putRepositoryDocument } from './repository-document.js';
import type { RepositoryDocumentKind } from './repository-document.js';

/** Lifecycle policies: PutLifecyclePolicy, GetLifecyclePolicy, DeleteLifecyclePolicy. */

const LIFECYCLE_POLICY: RepositoryDocumentKind = {
  field: 'lifecyclePolicyText',
  parameter: 'LifecyclePolicyText',
  maxChars: 30_720,
  // ECR-GUESS: ECR validates the rules themselves too; locally only JSON with a `rules` array is required. Policies are stored, not run.
  isValid: (text) => Array.isArray(parseJsonObject(text)?.rules),
  invalidMessage: 'Lifecycle policy validation failure: a JSON object with a "rules" array is required',
  notFound: { code: 'LifecyclePolicyNotFoundException', what: 'Lifecycle policy' },
};

type Repositories = Pick<EcrState, 'repositories' | 'registryId'>;

function putLifecyclePolicy(ecr: Repositories, input: { repositoryName: string; lifecyclePolicyText: string }): object {
  return putRepositoryDocument(LIFECYCLE_POLICY, ecr, input.repositoryName, input.lifecyclePolicyText);
}

function getLifecyclePolicy(ecr: Repositories, input: { repositoryName: string }): object {
  return getRepositoryDocument(LIFECYCLE_POLICY, ecr, input.repositoryName);
}

function deleteLifecyclePolicy(ecr: Repositories, input: { repositoryName: string }): object {
  return deleteRepositoryDocument(LIFECYCLE_POLICY, ecr, input.repositoryName);
}

export { deleteLifecyclePolicy, getLifecyclePolicy, putLifecyclePolicy };
