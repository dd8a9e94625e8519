import { paginate } from '../aws-endpoint/pagination.js';
import { imageNotFound, invalidNextToken, invalidParameter } from './ecr-errors.js';
import { imageKey, parseJsonObject, requireRepository } from './ecr-state.js';
import type { EcrState, ImageIdentifier } from './ecr-state.js';
import { INDEX_MEDIA_TYPES, listLocalImages, manifestOf, matchesTagStatus, namedLocalImages, resolveImage } from './image-index.js';
import type { ImageFailure, LocalImage, TagStatusFilter } from './image-index.js';
import { matchesImageStatus, storageDetail, unpullableDigests } from './storage-class.js';
import type { ImageStatusFilter } from './storage-class.js';

/** Reading images: DescribeImages, ListImages, BatchGetImage (writes are in image-writes.ts). */

type ImagesFilter = { tagStatus?: TagStatusFilter | undefined; imageStatus?: ImageStatusFilter | undefined } | undefined;

/** Tag status and image status (default: ACTIVE only, as ECR's DescribeImagesFilter and ListImagesFilter say). */
const matchesFilter = (ecr: EcrState, repository: string, image: LocalImage, filter: ImagesFilter): boolean =>
  matchesTagStatus(image, filter?.tagStatus) && matchesImageStatus(ecr, repository, image.digest, filter?.imageStatus);

async function imageDetail(ecr: EcrState, repository: string, image: LocalImage): Promise<Record<string, unknown>> {
  const manifest = await manifestOf(ecr, repository, image.digest);
  const parsed = parseJsonObject(manifest.bytes.toString('utf8')) ?? {};
  const layers = Array.isArray(parsed.layers) ? (parsed.layers as Array<{ size?: number }>) : [];
  const config = parsed.config as { mediaType?: string } | undefined;
  const scan = ecr.scanFindings.get(imageKey(repository, image.digest));
  const findings = scan?.imageScanFindings;
  return {
    registryId: ecr.registryId,
    repositoryName: repository,
    imageDigest: image.digest,
    ...(image.tags.length > 0 ? { imageTags: image.tags } : {}),
    // ECR reports the compressed layer total; ECR-GUESS: for an index (no layers of its own) the size of the index document.
    imageSizeInBytes: INDEX_MEDIA_TYPES.has(manifest.mediaType) ? manifest.bytes.length : layers.reduce((sum, layer) => sum + (layer.size ?? 0), 0),
    imagePushedAt: image.pushedAt,
    imageManifestMediaType: manifest.mediaType,
    ...storageDetail(ecr, repository, image.digest),
    ...(config?.mediaType === undefined ? {} : { artifactMediaType: config.mediaType }),
    ...(scan?.imageScanStatus === undefined ? {} : { imageScanStatus: scan.imageScanStatus }),
    ...(findings === undefined
      ? {}
      : {
          imageScanFindingsSummary: {
            imageScanCompletedAt: findings.imageScanCompletedAt,
            vulnerabilitySourceUpdatedAt: findings.vulnerabilitySourceUpdatedAt,
            findingSeverityCounts: findings.findingSeverityCounts,
          },
        }),
  };
}

async function describeImages(
  ecr: EcrState,
  input: { repositoryName: string; imageIds?: ImageIdentifier[] | undefined; filter?: ImagesFilter; maxResults?: number | undefined; nextToken?: string | undefined },
): Promise<object> {
  const state = requireRepository(ecr, input.repositoryName);
  const images = await listLocalImages(ecr, state.repositoryName);
  if (input.imageIds !== undefined) {
    const details = [];
    for (const imageId of input.imageIds) {
      const resolved = resolveImage(images, imageId);
      if (!('digest' in resolved)) {
        if (resolved.failureCode === 'ImageNotFound') throw imageNotFound(imageId, state.repositoryName, ecr.registryId);
        throw invalidParameter(resolved.failureReason);
      }
      // ECR-GUESS: the image-status filter (default ACTIVE) applies to images named by id too.
      if (!matchesImageStatus(ecr, state.repositoryName, resolved.digest, input.filter?.imageStatus)) throw imageNotFound(imageId, state.repositoryName, ecr.registryId);
      details.push(await imageDetail(ecr, state.repositoryName, resolved));
    }
    return { imageDetails: details };
  }
  const filtered = images.filter((image) => matchesFilter(ecr, state.repositoryName, image, input.filter));
  const page = paginate(filtered, { maxResults: input.maxResults ?? 100, nextToken: input.nextToken, invalidTokenError: invalidNextToken });
  const imageDetails = [];
  for (const image of page.items) imageDetails.push(await imageDetail(ecr, state.repositoryName, image));
  return { imageDetails, nextToken: page.nextToken };
}

async function listImages(ecr: EcrState, input: { repositoryName: string; filter?: ImagesFilter; maxResults?: number | undefined; nextToken?: string | undefined }): Promise<object> {
  const state = requireRepository(ecr, input.repositoryName);
  const images = (await listLocalImages(ecr, state.repositoryName)).filter((image) => matchesFilter(ecr, state.repositoryName, image, input.filter));
  // ListImages has one entry per tag; an untagged image is listed by digest alone.
  const imageIds = images.flatMap((image) => (image.tags.length === 0 ? [{ imageDigest: image.digest }] : image.tags.map((tag) => ({ imageDigest: image.digest, imageTag: tag }))));
  const page = paginate(imageIds, { maxResults: input.maxResults ?? 100, nextToken: input.nextToken, invalidTokenError: invalidNextToken });
  return { imageIds: page.items, nextToken: page.nextToken };
}

async function batchGetImage(ecr: EcrState, input: { repositoryName: string; imageIds: ImageIdentifier[]; acceptedMediaTypes?: string[] | undefined }): Promise<object> {
  const state = requireRepository(ecr, input.repositoryName);
  // Only the named images: a pull names them, and the answer carries only the names given (one tag event each in a burst).
  const images = await namedLocalImages(ecr, state.repositoryName, input.imageIds);
  const found: Record<string, unknown>[] = [];
  const failures: ImageFailure[] = [];
  const unpullable = unpullableDigests(ecr, state.repositoryName);
  for (const imageId of input.imageIds) {
    const resolved = resolveImage(images, imageId);
    if (!('digest' in resolved)) {
      failures.push({ imageId, ...resolved });
      continue;
    }
    // "Archived images cannot be pulled" (404 on the registry API); ECR-GUESS: BatchGetImage reports them as ImageNotFound.
    if (unpullable.has(resolved.digest)) {
      failures.push({ imageId, failureCode: 'ImageNotFound', failureReason: 'Requested image is archived; restore it before pulling' });
      continue;
    }
    const manifest = await manifestOf(ecr, state.repositoryName, resolved.digest);
    // ECR-GUESS: ECR converts Docker schema 2 to schema 1 on request; the local stack cannot and reports the image as not found instead.
    if (input.acceptedMediaTypes !== undefined && !input.acceptedMediaTypes.includes(manifest.mediaType)) {
      failures.push({ imageId, failureCode: 'ImageNotFound', failureReason: `Requested image not found in an accepted media type (${manifest.mediaType})` });
      continue;
    }
    found.push({
      registryId: ecr.registryId,
      repositoryName: state.repositoryName,
      imageId: { imageDigest: resolved.digest, ...(imageId.imageTag === undefined ? {} : { imageTag: imageId.imageTag }) },
      imageManifest: manifest.bytes.toString('utf8'),
      imageManifestMediaType: manifest.mediaType,
    });
  }
  return { images: found, failures };
}

export { batchGetImage, describeImages, listImages };
