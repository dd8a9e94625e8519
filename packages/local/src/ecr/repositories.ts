import { ecrRepositoryArn } from '@dockmaster/core/topology';
import { AwsServiceError } from '../aws-endpoint/aws-service-error.js';
import { paginate } from '../aws-endpoint/pagination.js';
import { invalidNextToken, invalidParameter } from './ecr-errors.js';
import { repositoryNameProblem } from './ecr-names.js';
import { imageKey, notify, requireRepository } from './ecr-state.js';
import type { EcrState, RepositoryCreator, RepositoryState } from './ecr-state.js';
import { listLocalImages } from './image-index.js';
import { ImageTagMutability, tagMutabilityProblem } from './tag-mutability.js';
import type { TagMutabilityExclusionFilter, TagMutabilitySettings } from './tag-mutability.js';

/** Repositories: create, describe, delete, and their scan-on-push and tag-mutability settings. */

/** `documents`: policies the repository starts with (a creation template's), set before anyone hears of it. */
async function addRepository(
  ecr: EcrState,
  name: string,
  createdBy: RepositoryCreator,
  tagMutability: TagMutabilitySettings,
  scanOnPush: boolean,
  documents: { policyText?: string | undefined; lifecyclePolicyText?: string | undefined } = {},
): Promise<RepositoryState> {
  const problem = repositoryNameProblem(name) ?? tagMutabilityProblem(tagMutability);
  if (problem !== undefined) throw invalidParameter(problem);
  if (ecr.repositories.has(name)) {
    throw new AwsServiceError('RepositoryAlreadyExistsException', `The repository with name '${name}' already exists in the registry with id '${ecr.registryId}'`);
  }
  const state: RepositoryState = {
    repositoryName: name,
    repositoryArn: ecrRepositoryArn({ accountId: ecr.registryId, region: ecr.region }, name),
    registryId: ecr.registryId,
    repositoryUri: `${ecr.registryHost}/${name}`,
    createdAt: new Date(ecr.clock.now()),
    createdBy,
    tagMutability,
    scanOnPush,
    policyText: documents.policyText,
    lifecyclePolicyText: documents.lifecyclePolicyText,
  };
  ecr.repositories.set(name, state);
  await notify(ecr.repositoryCreatedListeners, { repository: name, createdBy });
  return state;
}

/** Creates a repository the way ECR itself does (e.g. on a first pull through a cache rule): default settings unless given. */
function createRepositoryInternal(
  ecr: EcrState,
  name: string,
  options: { createdBy: RepositoryCreator; imageTagMutability?: TagMutabilitySettings; scanOnPush?: boolean },
): Promise<RepositoryState> {
  return addRepository(ecr, name, options.createdBy, options.imageTagMutability ?? { imageTagMutability: ImageTagMutability.Mutable }, options.scanOnPush ?? false);
}

function repositoryOutput(state: RepositoryState): Record<string, unknown> {
  return {
    repositoryArn: state.repositoryArn,
    registryId: state.registryId,
    repositoryName: state.repositoryName,
    repositoryUri: state.repositoryUri,
    createdAt: state.createdAt,
    imageTagMutability: state.tagMutability.imageTagMutability,
    ...(state.tagMutability.imageTagMutabilityExclusionFilters === undefined ? {} : { imageTagMutabilityExclusionFilters: state.tagMutability.imageTagMutabilityExclusionFilters }),
    imageScanningConfiguration: { scanOnPush: state.scanOnPush },
    // ECR-GUESS: the local stack has no KMS; every repository reports ECR's default encryption.
    encryptionConfiguration: { encryptionType: 'AES256' },
  };
}

async function createRepository(
  ecr: EcrState,
  input: { repositoryName: string; imageTagMutability?: TagMutabilitySettings['imageTagMutability'] | undefined; imageTagMutabilityExclusionFilters?: TagMutabilityExclusionFilter[] | undefined; imageScanningConfiguration?: { scanOnPush?: boolean | undefined } | undefined },
): Promise<object> {
  const state = await addRepository(
    ecr,
    input.repositoryName,
    'api',
    { imageTagMutability: input.imageTagMutability ?? ImageTagMutability.Mutable, imageTagMutabilityExclusionFilters: input.imageTagMutabilityExclusionFilters },
    input.imageScanningConfiguration?.scanOnPush ?? false,
  );
  return { repository: repositoryOutput(state) };
}

function describeRepositories(ecr: EcrState, input: { repositoryNames?: string[] | undefined; maxResults?: number | undefined; nextToken?: string | undefined }): object {
  if (input.repositoryNames !== undefined) {
    // ECR-GUESS: maxResults/nextToken are ignored when names are given (the docs say they "cannot be used" together).
    return { repositories: input.repositoryNames.map((name) => repositoryOutput(requireRepository(ecr, name))) };
  }
  const all = [...ecr.repositories.values()].sort((a, b) => a.repositoryName.localeCompare(b.repositoryName));
  const page = paginate(all, { maxResults: input.maxResults ?? 100, nextToken: input.nextToken, invalidTokenError: invalidNextToken });
  return { repositories: page.items.map((state) => repositoryOutput(state)), nextToken: page.nextToken };
}

async function deleteRepository(ecr: EcrState, input: { repositoryName: string; force?: boolean | undefined }): Promise<object> {
  const state = requireRepository(ecr, input.repositoryName);
  const images = await listLocalImages(ecr, state.repositoryName);
  if (images.length > 0 && input.force !== true) {
    throw new AwsServiceError(
      'RepositoryNotEmptyException',
      `The repository with name '${state.repositoryName}' in registry with id '${ecr.registryId}' cannot be deleted because it still contains images`,
    );
  }
  for (const image of images) await ecr.store.deleteManifest(state.repositoryName, image.digest);
  await ecr.store.deleteRepository(state.repositoryName);
  ecr.repositories.delete(state.repositoryName);
  for (const key of [...ecr.pushedAt.keys(), ...ecr.scanFindings.keys()]) {
    if (key.startsWith(imageKey(state.repositoryName, ''))) {
      ecr.pushedAt.delete(key);
      ecr.scanFindings.delete(key);
    }
  }
  // ECR-GUESS: deleting a repository emits no per-image DELETE action (ECR documents none).
  return { repository: repositoryOutput(state) };
}

function putImageScanningConfiguration(ecr: EcrState, input: { repositoryName: string; imageScanningConfiguration: { scanOnPush?: boolean | undefined } }): object {
  const state = requireRepository(ecr, input.repositoryName);
  state.scanOnPush = input.imageScanningConfiguration.scanOnPush ?? false;
  return { registryId: ecr.registryId, repositoryName: state.repositoryName, imageScanningConfiguration: { scanOnPush: state.scanOnPush } };
}

function putImageTagMutability(ecr: EcrState, input: { repositoryName: string } & TagMutabilitySettings): object {
  const state = requireRepository(ecr, input.repositoryName);
  const settings: TagMutabilitySettings = { imageTagMutability: input.imageTagMutability, imageTagMutabilityExclusionFilters: input.imageTagMutabilityExclusionFilters };
  const problem = tagMutabilityProblem(settings);
  if (problem !== undefined) throw invalidParameter(problem);
  state.tagMutability = settings;
  return { registryId: ecr.registryId, repositoryName: state.repositoryName, ...settings };
}

export { addRepository, createRepository, createRepositoryInternal, deleteRepository, describeRepositories, putImageScanningConfiguration, putImageTagMutability };
