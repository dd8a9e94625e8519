import { parseJsonObject } from './ecr-state.js';
import type { EcrState } from './ecr-state.js';
import { deleteRepositoryDocument, getRepositoryDocument, putRepositoryDocument } from './repository-document.js';
import type { RepositoryDocumentKind } from './repository-document.js';

/** Repository policies: SetRepositoryPolicy, GetRepositoryPolicy, DeleteRepositoryPolicy. */

const REPOSITORY_POLICY: RepositoryDocumentKind = {
  field: 'policyText',
  parameter: 'PolicyText',
  maxChars: 10_240,
  // ECR-GUESS: only JSON syntax is checked locally; real ECR also validates principals ('Invalid repository policy provided').
  isValid: (text) => parseJsonObject(text) !== undefined,
  invalidMessage: 'Invalid repository policy provided',
  notFound: { code: 'RepositoryPolicyNotFoundException', what: 'Repository policy' },
};

type Repositories = Pick<EcrState, 'repositories' | 'registryId'>;

function setRepositoryPolicy(ecr: Repositories, input: { repositoryName: string; policyText: string }): object {
  return putRepositoryDocument(REPOSITORY_POLICY, ecr, input.repositoryName, input.policyText);
}

function getRepositoryPolicy(ecr: Repositories, input: { repositoryName: string }): object {
  return getRepositoryDocument(REPOSITORY_POLICY, ecr, input.repositoryName);
}

function deleteRepositoryPolicy(ecr: Repositories, input: { repositoryName: string }): object {
  return deleteRepositoryDocument(REPOSITORY_POLICY, ecr, input.repositoryName);
}

export { deleteRepositoryPolicy, getRepositoryPolicy, setRepositoryPolicy };
