import { AwsServiceError } from '../aws-endpoint/aws-service-error.js';
import type { StoredManifest } from './distribution-store.js';
import { isValidImageDigest, isValidImageTag } from './ecr-names.js';
import { imageKey } from './ecr-state.js';
import type { EcrState, ImageIdentifier } from './ecr-state.js';

/** What the image operations read from the registry: the repository's images, an imageId resolved, a manifest. */

interface LocalImage {
  digest: string;
  tags: string[];
  pushedAt: Date;
}

interface ImageFailure {
  imageId: ImageIdentifier;
  failureCode: string;
  failureReason: string;
}

const INDEX_MEDIA_TYPES: ReadonlySet<string> = new Set(['application/vnd.oci.image.index.v1+json', 'application/vnd.docker.distribution.manifest.list.v2+json']);

/** Records when an image arrived (the registry front calls it for docker pushes); the first record wins. */
function recordImagePush(ecr: Pick<EcrState, 'pushedAt' | 'clock'>, repository: string, digest: string, at: Date = new Date(ecr.clock.now())): void {
  const key = imageKey(repository, digest);
  if (!ecr.pushedAt.has(key)) ecr.pushedAt.set(key, at);
}

/** Every image of a repository (tagged or not), oldest push first, then by digest for a stable order. */
async function listLocalImages(ecr: Pick<EcrState, 'store' | 'pushedAt' | 'clock'>, repository: string): Promise<LocalImage[]> {
  const [digests, tagDigests] = await Promise.all([ecr.store.manifestDigests(repository), ecr.store.tagDigests(repository)]);
  const tagsByDigest = new Map<string, string[]>();
  for (const [tag, digest] of tagDigests) tagsByDigest.set(digest, [...(tagsByDigest.get(digest) ?? []), tag]);
  const images = digests.map((digest) => {
    // Images pushed straight to the registry have no recorded push time: the first sighting stands in for it.
    recordImagePush(ecr, repository, digest);
    return { digest, tags: (tagsByDigest.get(digest) ?? []).sort(), pushedAt: ecr.pushedAt.get(imageKey(repository, digest)) ?? new Date(ecr.clock.now()) };
  });
  return images.sort((a, b) => a.pushedAt.getTime() - b.pushedAt.getTime() || a.digest.localeCompare(b.digest));
}

/**
 * The images a request names, read from their own links only: a tag's link and a digest's revision, instead of
 * every tag and revision of the repository (listLocalImages). Each image carries only the named tags, so this
 * serves requests that answer by the names given (BatchGetImage), not ones that report all of an image's tags.
 * resolveImage gives the same answer over this list as over the full one: a tag names the image its link
 * names, if that manifest is stored; a digest names the image if its revision is stored.
 */
async function namedLocalImages(ecr: Pick<EcrState, 'store' | 'pushedAt' | 'clock'>, repository: string, imageIds: readonly ImageIdentifier[]): Promise<LocalImage[]> {
  const tags = new Set(imageIds.flatMap((imageId) => (imageId.imageTag !== undefined && isValidImageTag(imageId.imageTag) ? [imageId.imageTag] : [])));
  const tagLinks = await Promise.all([...tags].map(async (tag) => ({ tag, digest: await ecr.store.tagDigest(repository, tag) })));
  const digests = new Set(imageIds.flatMap((imageId) => (imageId.imageDigest !== undefined && isValidImageDigest(imageId.imageDigest) ? [imageId.imageDigest] : [])));
  for (const { digest } of tagLinks) if (digest !== undefined) digests.add(digest);
  const stored = await Promise.all([...digests].map(async (digest) => ((await ecr.store.hasManifest(repository, digest)) ? [digest] : [])));
  return stored.flat().map((digest) => {
    recordImagePush(ecr, repository, digest);
    return {
      digest,
      tags: tagLinks.flatMap((link) => (link.digest === digest ? [link.tag] : [])).sort(),
      pushedAt: ecr.pushedAt.get(imageKey(repository, digest)) ?? new Date(ecr.clock.now()),
    };
  });
}

/** Resolves an imageId to an image of the repository, or the failure code ECR reports for it. */
function resolveImage(images: readonly LocalImage[], imageId: ImageIdentifier): LocalImage | Omit<ImageFailure, 'imageId'> {
  if (imageId.imageDigest === undefined && imageId.imageTag === undefined) {
    return { failureCode: 'MissingDigestAndTag', failureReason: 'Invalid request parameters: both tag and digest cannot be null' };
  }
  if (imageId.imageDigest !== undefined && !isValidImageDigest(imageId.imageDigest)) {
    return { failureCode: 'InvalidImageDigest', failureReason: 'Invalid request parameters: image digest should satisfy the regex \'[a-zA-Z0-9-_+.]+:[a-fA-F0-9]+\'' };
  }
  if (imageId.imageTag !== undefined && !isValidImageTag(imageId.imageTag)) {
    return { failureCode: 'InvalidImageTag', failureReason: 'Invalid request parameters: image tag is not valid' };
  }
  const byTag = imageId.imageTag === undefined ? undefined : images.find((image) => image.tags.includes(imageId.imageTag as string));
  const byDigest = imageId.imageDigest === undefined ? undefined : images.find((image) => image.digest === imageId.imageDigest);
  if (imageId.imageTag !== undefined && imageId.imageDigest !== undefined) {
    // Tag AND digest name one image only when the tag points at the digest. ECR-GUESS: ECR documents the
    // failure code, not when it is given; a missing tag is ImageNotFound, a tag naming another image (or a
    // digest the repository lacks) ImageTagDoesNotMatchDigest. Never fall back to the digest alone: that
    // would act on an image the caller did not name by its tag.
    if (byTag === undefined) return { failureCode: 'ImageNotFound', failureReason: 'Requested image not found' };
    if (byTag !== byDigest) return { failureCode: 'ImageTagDoesNotMatchDigest', failureReason: 'Invalid request parameters: given tag and digest do not match' };
  }
  const image = byTag ?? byDigest;
  return image ?? { failureCode: 'ImageNotFound', failureReason: 'Requested image not found' };
}

async function manifestOf(ecr: Pick<EcrState, 'store'>, repository: string, digest: string): Promise<StoredManifest> {
  const manifest = await ecr.store.getManifest(repository, digest);
  if (manifest === undefined) throw new AwsServiceError('ServerException', `Manifest ${digest} of ${repository} vanished from the local registry.`, { statusCode: 500 });
  return manifest;
}

/** DescribeImagesFilter's and ListImagesFilter's `tagStatus`. */
const TAG_STATUS_FILTERS = ['TAGGED', 'UNTAGGED', 'ANY'] as const;
type TagStatusFilter = (typeof TAG_STATUS_FILTERS)[number];

function matchesTagStatus(image: LocalImage, tagStatus: TagStatusFilter | undefined): boolean {
  if (tagStatus === 'TAGGED') return image.tags.length > 0;
  if (tagStatus === 'UNTAGGED') return image.tags.length === 0;
  return true;
}

export { INDEX_MEDIA_TYPES, listLocalImages, manifestOf, matchesTagStatus, namedLocalImages, recordImagePush, resolveImage, TAG_STATUS_FILTERS };
export type { ImageFailure, LocalImage, TagStatusFilter };
