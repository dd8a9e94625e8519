import { EcrActionType, EcrImageStatus, EcrStorageClass } from '@dockmaster/core/events/vocabulary';
import { AwsServiceError } from '../aws-endpoint/aws-service-error.js';
import { imageNotFound, invalidParameter } from './ecr-errors.js';
import { imageKey, notify, parseJsonObject, requireRepository } from './ecr-state.js';
import type { EcrState, ImageIdentifier, ImageStorage } from './ecr-state.js';
import { listLocalImages, manifestOf, resolveImage } from './image-index.js';

/*
 * The archive storage class: UpdateImageStorageClass, and what other operations ask about an image's status.
 * ECR (User Guide, "Archiving an image"): an archived image cannot be pulled (404), is still described and listed
 * with status ARCHIVED, and is restored by UpdateImageStorageClass to STANDARD or by pushing it again. A restore
 * takes ECR about 20 minutes (ACTIVATING meanwhile).
 * ECR-GUESS (docs/local-stack.md): locally the restore completes within the UpdateImageStorageClass call: the
 * answer says ACTIVATING as ECR's does, the image is ACTIVE and the restore event is out when the answer arrives.
 */

/** DescribeImagesFilter's and ListImagesFilter's `imageStatus`: an image status, or ANY. */
const IMAGE_STATUS_FILTERS = [EcrImageStatus.Active, EcrImageStatus.Archived, EcrImageStatus.Activating, 'ANY'] as const;
type ImageStatusFilter = (typeof IMAGE_STATUS_FILTERS)[number];

/** The image's status; no record means it was never archived: ACTIVE. */
function storageOf(ecr: Pick<EcrState, 'storage'>, repository: string, digest: string): ImageStorage {
  return ecr.storage.get(imageKey(repository, digest)) ?? { status: EcrImageStatus.Active };
}

/** ECR's default for DescribeImages and ListImages: "If not specified, only images with ACTIVE status are returned." */
function matchesImageStatus(ecr: Pick<EcrState, 'storage'>, repository: string, digest: string, filter: ImageStatusFilter | undefined): boolean {
  const wanted = filter ?? EcrImageStatus.Active;
  return wanted === 'ANY' || storageOf(ecr, repository, digest).status === wanted;
}

/** Digests of the repository that cannot be pulled now (archived, or being restored). */
function unpullableDigests(ecr: Pick<EcrState, 'storage'>, repository: string): Set<string> {
  const digests = new Set<string>();
  for (const [key, storage] of ecr.storage) {
    if (storage.status === EcrImageStatus.Active || !key.startsWith(`${repository}@`)) continue;
    digests.add(key.slice(repository.length + 1));
  }
  return digests;
}

/** The storage-class fields DescribeImages adds to an image's details. */
function storageDetail(ecr: Pick<EcrState, 'storage'>, repository: string, digest: string): Record<string, unknown> {
  const storage = storageOf(ecr, repository, digest);
  return {
    imageStatus: storage.status,
    ...(storage.lastArchivedAt === undefined ? {} : { lastArchivedAt: storage.lastArchivedAt }),
    ...(storage.lastActivatedAt === undefined ? {} : { lastActivatedAt: storage.lastActivatedAt }),
  };
}

/** The media types the event carries, as in ECR's archive sample. */
async function mediaTypes(ecr: EcrState, repository: string, digest: string): Promise<{ manifestMediaType: string; artifactMediaType?: string }> {
  const manifest = await manifestOf(ecr, repository, digest);
  const config = parseJsonObject(manifest.bytes.toString('utf8'))?.config as { mediaType?: unknown } | undefined;
  return { manifestMediaType: manifest.mediaType, ...(typeof config?.mediaType === 'string' ? { artifactMediaType: config.mediaType } : {}) };
}

async function announce(ecr: EcrState, repository: string, digest: string, target: EcrStorageClass, lastActivatedAt?: Date): Promise<void> {
  await notify(ecr.imageActionListeners, {
    actionType: EcrActionType.UpdateStorageClass,
    repository,
    digest,
    targetStorageClass: target,
    ...(await mediaTypes(ecr, repository, digest)),
    ...(lastActivatedAt === undefined ? {} : { lastActivatedAt }),
  });
}

/** Moves an image to the archive: what a lifecycle `transition` rule or UpdateImageStorageClass ARCHIVE does. */
async function archive(ecr: EcrState, repository: string, digest: string): Promise<void> {
  const current = storageOf(ecr, repository, digest);
  ecr.storage.set(imageKey(repository, digest), { ...current, status: EcrImageStatus.Archived, lastArchivedAt: new Date(ecr.clock.now()) });
  await announce(ecr, repository, digest, EcrStorageClass.Archive);
}

/** Brings an archived image back: UpdateImageStorageClass STANDARD, or a push of the same image. */
async function restore(ecr: EcrState, repository: string, digest: string): Promise<void> {
  const current = storageOf(ecr, repository, digest);
  const lastActivatedAt = new Date(ecr.clock.now());
  ecr.storage.set(imageKey(repository, digest), { ...current, status: EcrImageStatus.Active, lastActivatedAt });
  await announce(ecr, repository, digest, EcrStorageClass.Standard, lastActivatedAt);
}

/** A push of an archived image restores it (User Guide: "by re-pushing the image to the repository"). */
async function restoreOnPush(ecr: EcrState, repository: string, digest: string): Promise<void> {
  if (storageOf(ecr, repository, digest).status === EcrImageStatus.Archived) await restore(ecr, repository, digest);
}

async function updateImageStorageClass(
  ecr: EcrState,
  input: { repositoryName: string; imageId: ImageIdentifier; targetStorageClass: string },
): Promise<object> {
  const state = requireRepository(ecr, input.repositoryName);
  if (input.targetStorageClass !== EcrStorageClass.Archive && input.targetStorageClass !== EcrStorageClass.Standard) {
    throw invalidParameter(`Invalid parameter at 'targetStorageClass' failed to satisfy constraint: 'Member must satisfy enum value set: [ARCHIVE, STANDARD]'`);
  }
  const resolved = resolveImage(await listLocalImages(ecr, state.repositoryName), input.imageId);
  if (!('digest' in resolved)) {
    if (resolved.failureCode === 'ImageNotFound') throw imageNotFound(input.imageId, state.repositoryName, ecr.registryId);
    throw invalidParameter(resolved.failureReason);
  }
  const { status } = storageOf(ecr, state.repositoryName, resolved.digest);
  const archiving = input.targetStorageClass === EcrStorageClass.Archive;
  // ECR-GUESS: archiving an archived image, or restoring an active one, is answered with the status as it is and
  // changes nothing (no event); the model names ImageStorageClassUpdateNotSupportedException without saying when.
  if (status === EcrImageStatus.Activating) {
    throw new AwsServiceError('ImageStorageClassUpdateNotSupportedException', `The image ${resolved.digest} is being restored from the archive; try again when it is ACTIVE.`);
  }
  let imageStatus: string = status;
  if (archiving && status === EcrImageStatus.Active) {
    await archive(ecr, state.repositoryName, resolved.digest);
    imageStatus = EcrImageStatus.Archived;
  } else if (!archiving && status === EcrImageStatus.Archived) {
    await restore(ecr, state.repositoryName, resolved.digest);
    // ECR's answer to a restore; locally the restore has completed already (see above).
    imageStatus = EcrImageStatus.Activating;
  }
  return {
    registryId: ecr.registryId,
    repositoryName: state.repositoryName,
    imageId: { imageDigest: resolved.digest, ...(input.imageId.imageTag === undefined ? {} : { imageTag: input.imageId.imageTag }) },
    imageStatus,
  };
}

export { archive, IMAGE_STATUS_FILTERS, matchesImageStatus, restoreOnPush, storageDetail, unpullableDigests, updateImageStorageClass };
export type { ImageStatusFilter };
