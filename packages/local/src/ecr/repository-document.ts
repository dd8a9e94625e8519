import { AwsServiceError } from '../aws-endpoint/aws-service-error.js';
import { invalidParameter } from './ecr-errors.js';
import { requireRepository } from './ecr-state.js';
import type { EcrState, RepositoryState } from './ecr-state.js';

/**
 * A JSON document a repository holds at most one of, with ECR's put/get/delete trio around it: the repository
 * policy and the lifecycle policy (repository-policy.ts, lifecycle-policy.ts) differ only in the data below.
 */
interface RepositoryDocumentKind {
  /** Where RepositoryState keeps it; also its name in the API's answers. */
  field: 'policyText' | 'lifecyclePolicyText';
  /** The request member named in InvalidParameterException messages. */
  parameter: string;
  maxChars: number;
  /** The constraint text for a document `isValid` refuses. */
  invalidMessage: string;
  isValid: (text: string) => boolean;
  /** The exception for get/delete without a document, and the document's name in its message. */
  notFound: { code: string; what: string };
}

type Repositories = Pick<EcrState, 'repositories' | 'registryId'>;

function documentNotFound(kind: RepositoryDocumentKind, ecr: Repositories, state: RepositoryState): AwsServiceError {
  return new AwsServiceError(
    kind.notFound.code,
    `${kind.notFound.what} does not exist for the repository with name '${state.repositoryName}' in the registry with id '${ecr.registryId}'`,
  );
}

function answer(kind: RepositoryDocumentKind, ecr: Repositories, state: RepositoryState, text: string): object {
  return { registryId: ecr.registryId, repositoryName: state.repositoryName, [kind.field]: text };
}

function putRepositoryDocument(kind: RepositoryDocumentKind, ecr: Repositories, repositoryName: string, text: string): object {
  const state = requireRepository(ecr, repositoryName);
  if (text.length > kind.maxChars) {
    throw invalidParameter(`Invalid parameter at '${kind.parameter}' failed to satisfy constraint: 'Member must have length less than or equal to ${kind.maxChars}'`);
  }
  if (!kind.isValid(text)) throw invalidParameter(`Invalid parameter at '${kind.parameter}' failed to satisfy constraint: '${kind.invalidMessage}'`);
  state[kind.field] = text;
  return answer(kind, ecr, state, text);
}

function getRepositoryDocument(kind: RepositoryDocumentKind, ecr: Repositories, repositoryName: string): object {
  const state = requireRepository(ecr, repositoryName);
  const text = state[kind.field];
  if (text === undefined) throw documentNotFound(kind, ecr, state);
  return answer(kind, ecr, state, text);
}

function deleteRepositoryDocument(kind: RepositoryDocumentKind, ecr: Repositories, repositoryName: string): object {
  const state = requireRepository(ecr, repositoryName);
  const text = state[kind.field];
  if (text === undefined) throw documentNotFound(kind, ecr, state);
  state[kind.field] = undefined;
  return answer(kind, ecr, state, text);
}

export { deleteRepositoryDocument, getRepositoryDocument, putRepositoryDocument };
export type { RepositoryDocumentKind };
