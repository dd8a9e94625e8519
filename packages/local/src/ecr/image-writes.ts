import { EcrActionType } from '@dockmaster/core/events/vocabulary';
import { AwsServiceError } from '../aws-endpoint/aws-service-error.js';
import { sha256Digest } from './distribution-store.js';
import { invalidParameter } from './ecr-errors.js';
import { isValidImageTag } from './ecr-names.js';
import { imageKey, notify, parseJsonObject, requireRepository } from './ecr-state.js';
import type { EcrState, ImageAction, ImageIdentifier } from './ecr-state.js';
import { INDEX_MEDIA_TYPES, listLocalImages, manifestOf, recordImagePush, resolveImage } from './image-index.js';
import type { ImageFailure, LocalImage } from './image-index.js';
import { restoreOnPush, unpullableDigests } from './storage-class.js';
import { isTagImmutable } from './tag-mutability.js';

/** Writing images: PutImage (push or re-tag) and BatchDeleteImage, each telling the image-action listeners. */

const MAX_MANIFEST_CHARS = 4_194_304;

/** Maps Distribution's manifest PUT errors to ECR's PutImage exceptions. */
function putManifestError(code: string, message: string, isIndex: boolean): AwsServiceError {
  if (code === 'MANIFEST_BLOB_UNKNOWN' || code === 'BLOB_UNKNOWN' || code === 'MANIFEST_UNKNOWN') {
    return isIndex
      ? new AwsServiceError('ReferencedImagesNotFoundException', `Some of the images referenced by the manifest list could not be found: ${message}`)
      : new AwsServiceError('LayersNotFoundException', `Layers referenced by the image manifest could not be found: ${message}`);
  }
  return invalidParameter(`Invalid parameter at 'ImageManifest' failed to satisfy constraint: '${message}' (${code})`);
}

async function putImage(
  ecr: EcrState,
  input: { repositoryName: string; imageManifest: string; imageManifestMediaType?: string | undefined; imageTag?: string | undefined; imageDigest?: string | undefined },
): Promise<object> {
  const state = requireRepository(ecr, input.repositoryName);
  if (input.imageManifest.length > MAX_MANIFEST_CHARS) {
    throw invalidParameter(`Invalid parameter at 'imageManifest' failed to satisfy constraint: 'Member must have length less than or equal to ${MAX_MANIFEST_CHARS}'`);
  }
  const parsed = parseJsonObject(input.imageManifest);
  if (parsed === undefined) throw invalidParameter("Invalid parameter at 'ImageManifest' failed to satisfy constraint: 'Invalid JSON syntax'");
  const declaredType = typeof parsed.mediaType === 'string' ? parsed.mediaType : undefined;
  const mediaType = input.imageManifestMediaType ?? declaredType;
  if (mediaType === undefined) {
    throw invalidParameter("Invalid parameter at 'imageManifestMediaType' failed to satisfy constraint: 'required when the manifest has no mediaType'");
  }
  if (declaredType !== undefined && declaredType !== mediaType) {
    // ECR-GUESS: the model only says the field is needed when the manifest has no mediaType; a contradiction is refused.
    throw invalidParameter(`Invalid parameter at 'imageManifestMediaType' failed to satisfy constraint: 'does not match the manifest mediaType ${declaredType}'`);
  }
  if (input.imageTag !== undefined && !isValidImageTag(input.imageTag)) {
    throw invalidParameter("Invalid parameter at 'imageTag' failed to satisfy constraint: 'Member must have length between 1 and 300 and use [A-Za-z0-9_.-]'");
  }
  const bytes = Buffer.from(input.imageManifest, 'utf8');
  const digest = sha256Digest(bytes);
  if (input.imageDigest !== undefined && input.imageDigest !== digest) {
    throw new AwsServiceError('ImageDigestDoesNotMatchException', `The digest of the image manifest (${digest}) does not match the provided digest (${input.imageDigest})`);
  }
  const images = await listLocalImages(ecr, state.repositoryName);
  const current = input.imageTag === undefined ? images.find((image) => image.digest === digest) : images.find((image) => image.tags.includes(input.imageTag as string));
  // A push of an archived image restores it (ECR User Guide, "Archiving an image"); ECR-GUESS: PutImage then succeeds.
  const archived = current?.digest === digest && unpullableDigests(ecr, state.repositoryName).has(digest);
  if (current?.digest === digest && !archived) {
    // With a tag: the tag already points here. ECR-GUESS: without a tag, an existing digest counts as "already exists" too.
    throw new AwsServiceError(
      'ImageAlreadyExistsException',
      `Image with digest '${digest}'${input.imageTag === undefined ? '' : ` and tag '${input.imageTag}'`} already exists in the repository with name '${state.repositoryName}' in registry with id '${ecr.registryId}'`,
    );
  }
  if (current !== undefined && input.imageTag !== undefined && isTagImmutable(state.tagMutability, input.imageTag)) {
    throw new AwsServiceError(
      'ImageTagAlreadyExistsException',
      `The image tag '${input.imageTag}' already exists in the '${state.repositoryName}' repository and cannot be overwritten because the tag is immutable.`,
    );
  }
  const result = await ecr.store.putManifest(state.repositoryName, input.imageTag ?? digest, bytes, mediaType);
  if (!result.ok) throw putManifestError(result.code, result.message, INDEX_MEDIA_TYPES.has(mediaType));
  recordImagePush(ecr, state.repositoryName, digest);
  await restoreOnPush(ecr, state.repositoryName, digest);
  await notify(ecr.imageActionListeners, { actionType: EcrActionType.Push, repository: state.repositoryName, digest, ...(input.imageTag === undefined ? {} : { tag: input.imageTag }) });
  return {
    image: {
      registryId: ecr.registryId,
      repositoryName: state.repositoryName,
      imageId: { imageDigest: digest, ...(input.imageTag === undefined ? {} : { imageTag: input.imageTag }) },
      imageManifest: input.imageManifest,
      imageManifestMediaType: mediaType,
    },
  };
}

/** Digests referenced by the repository's indexes: ECR refuses to delete those images (ImageReferencedByManifestList). */
async function digestsReferencedByIndexes(ecr: EcrState, repository: string, images: readonly LocalImage[], except: string): Promise<Set<string>> {
  const referenced = new Set<string>();
  for (const image of images) {
    if (image.digest === except) continue;
    const manifest = await manifestOf(ecr, repository, image.digest);
    if (!INDEX_MEDIA_TYPES.has(manifest.mediaType)) continue;
    const children = parseJsonObject(manifest.bytes.toString('utf8'))?.manifests;
    if (Array.isArray(children)) for (const child of children as Array<{ digest?: string }>) if (child.digest !== undefined) referenced.add(child.digest);
  }
  return referenced;
}

async function batchDeleteImage(ecr: EcrState, input: { repositoryName: string; imageIds: ImageIdentifier[] }): Promise<object> {
  const state = requireRepository(ecr, input.repositoryName);
  const deleted: ImageIdentifier[] = [];
  const failures: ImageFailure[] = [];
  const actions: ImageAction[] = [];
  // One at a time: each deletion changes what the next imageId resolves to.
  for (const imageId of input.imageIds) {
    const images = await listLocalImages(ecr, state.repositoryName);
    const resolved = resolveImage(images, imageId);
    if (!('digest' in resolved)) {
      failures.push({ imageId, ...resolved });
      continue;
    }
    // ECR-GUESS: with tag AND digest (matching), only the tag is removed, as for the tag alone; ECR documents
    // tag-only and digest-only requests, not both (docs/tag-policy.md). The image goes with its last tag.
    const removesImage = imageId.imageTag === undefined || resolved.tags.length === 1;
    if (removesImage && (await digestsReferencedByIndexes(ecr, state.repositoryName, images, resolved.digest)).has(resolved.digest)) {
      failures.push({ imageId, failureCode: 'ImageReferencedByManifestList', failureReason: 'Requested image is referenced by a manifest list' });
      continue;
    }
    if (imageId.imageTag !== undefined && !removesImage) {
      await ecr.store.deleteTag(state.repositoryName, imageId.imageTag);
      deleted.push({ imageDigest: resolved.digest, imageTag: imageId.imageTag });
      actions.push({ actionType: EcrActionType.Delete, repository: state.repositoryName, digest: resolved.digest, tag: imageId.imageTag });
      continue;
    }
    // By digest, or the image's last tag: "When you remove the last tag from an image, the image is deleted."
    await ecr.store.deleteManifest(state.repositoryName, resolved.digest);
    ecr.scanFindings.delete(imageKey(state.repositoryName, resolved.digest));
    ecr.storage.delete(imageKey(state.repositoryName, resolved.digest));
    deleted.push({ imageDigest: resolved.digest, ...(imageId.imageTag === undefined ? {} : { imageTag: imageId.imageTag }) });
    // ECR-GUESS: a delete by digest reports one DELETE action per tag it removed (or one untagged action).
    const removedTags = imageId.imageTag === undefined ? resolved.tags : [imageId.imageTag];
    if (removedTags.length === 0) actions.push({ actionType: EcrActionType.Delete, repository: state.repositoryName, digest: resolved.digest });
    for (const tag of removedTags) actions.push({ actionType: EcrActionType.Delete, repository: state.repositoryName, digest: resolved.digest, tag });
  }
  for (const action of actions) await notify(ecr.imageActionListeners, action);
  return { imageIds: deleted, failures };
}

export { batchDeleteImage, putImage };
