import {
  BatchDeleteImageCommand,
  BatchGetImageCommand,
  DescribeImagesCommand,
  ECRClient,
  GetDownloadUrlForLayerCommand,
  type Image,
  type ImageFailure,
  ImageNotFoundException,
} from '@aws-sdk/client-ecr';
import type { ImageLabels } from '@dockmaster/core/tag-policy';
import type { Descriptor } from './oci-manifest.js';
import { EcrImageError, ImageGoneError } from './ecr-image-errors.js';
import { readBlob } from './read-blob.js';

/**
 * The manifest schemas (zod), imported when labels are first read rather than when a worker's module loads: the
 * workers load zod with their first batch (docs/sync.md, "Measured").
 */
const ociManifest = () => import('./oci-manifest.js');

/**
 * Result of removing one tag: removed now; already gone (a redelivery, or someone was faster); or left alone
 * because the tag names another image by now (a late event: the image that was judged is not the tag's any more).
 */
type RemoveTagResult = { kind: 'removed-tag' } | { kind: 'already-removed' } | { kind: 'tag-moved'; currentDigest: string };

/** What the workers need from ECR images; an interface so handlers can be tested without ECR. */
type EcrImages = {
  /**
   * Labels of the image with this digest: config `Labels` merged over manifest annotations (and the index's).
   * For an index, one entry per platform image (attestation manifests skipped). Throws ImageGoneError when the
   * digest no longer exists.
   */
  readImageLabels(repository: string, digest: string): Promise<ImageLabels>;
  /**
   * Removes ONLY this tag, and only while it still names `digest` (the image that was judged); ECR deletes the
   * image itself only when its last tag goes. See docs/tag-policy.md for why this re-reads the tag first.
   */
  removeTag(repository: string, tag: string, digest: string): Promise<RemoveTagResult>;
};

type EcrImagesOptions = {
  client?: ECRClient;
  fetch?: typeof fetch;
  /** Largest config blob read; real image configs are a few KiB, the cap guards against artifacts posing as images. */
  maxConfigBytes?: number;
};

const DEFAULT_MAX_CONFIG_BYTES = 1024 * 1024;

/** Config blobs whose labels an execution environment keeps (a few KiB each at most). */
const MAX_CACHED_CONFIGS = 1_000;

const describeFailures = (failures: ImageFailure[]): string =>
  failures.map((failure) => `${failure.imageId?.imageTag ?? failure.imageId?.imageDigest ?? '?'}: ${failure.failureCode} ${failure.failureReason ?? ''}`.trim()).join('; ');

const parseJson = (text: string | undefined, what: string): unknown => {
  try {
    return JSON.parse(text ?? '');
  } catch (error) {
    throw new EcrImageError(`${what} is not valid JSON`, { cause: error });
  }
};

const createEcrImages = ({ client = new ECRClient({}), fetch: fetchImpl = fetch, maxConfigBytes = DEFAULT_MAX_CONFIG_BYTES }: EcrImagesOptions = {}): EcrImages => {
  const getImages = async (repository: string, digests: string[], mediaTypes: string[]): Promise<{ images: Image[]; failures: ImageFailure[] }> => {
    const response = await client.send(
      new BatchGetImageCommand({
        repositoryName: repository,
        imageIds: digests.map((imageDigest) => ({ imageDigest })),
        acceptedMediaTypes: mediaTypes,
      }),
    );
    return { images: response.images ?? [], failures: response.failures ?? [] };
  };

  /**
   * Config labels by config blob digest. A blob's content never changes under its digest, so the labels read
   * once hold for every later push of the same image (a release pushes one image under several tags, each tag
   * its own event): one GetDownloadUrlForLayer and one download per image and execution environment. The
   * image itself is still looked up (BatchGetImage) for every event. Bounded: oldest entry out first.
   */
  const labelsByConfigDigest = new Map<string, Record<string, string>>();
  const readConfigLabels = async (repository: string, config: Descriptor): Promise<Record<string, string>> => {
    const cached = labelsByConfigDigest.get(config.digest);
    if (cached !== undefined) return cached;
    const labels = await downloadConfigLabels(repository, config);
    if (labelsByConfigDigest.size >= MAX_CACHED_CONFIGS) labelsByConfigDigest.delete(labelsByConfigDigest.keys().next().value as string);
    labelsByConfigDigest.set(config.digest, labels);
    return labels;
  };

  const downloadConfigLabels = async (repository: string, config: Descriptor): Promise<Record<string, string>> => {
    const { downloadUrl } = await client.send(new GetDownloadUrlForLayerCommand({ repositoryName: repository, layerDigest: config.digest }));
    if (!downloadUrl) throw new EcrImageError(`ECR returned no download URL for config blob ${config.digest} of ${repository}`);
    const blob = await readBlob(downloadUrl, { digest: config.digest, maxBytes: Math.min(config.size, maxConfigBytes) }, fetchImpl);
    const { ImageConfigSchema } = await ociManifest();
    const parsed = ImageConfigSchema.safeParse(parseJson(blob.toString('utf8'), `config blob ${config.digest}`));
    if (!parsed.success) throw new EcrImageError(`config blob ${config.digest} of ${repository} is not an image config`);
    return parsed.data.config?.Labels ?? {};
  };

  /** Labels of one image manifest, with annotations inherited from its index (lowest precedence). */
  const labelsOfManifest = async (repository: string, manifestText: string | undefined, inherited: Record<string, string>): Promise<Record<string, string>> => {
    const { ImageManifestSchema } = await ociManifest();
    const manifest = ImageManifestSchema.safeParse(parseJson(manifestText, `manifest in ${repository}`));
    if (!manifest.success) throw new EcrImageError(`manifest in ${repository} is not an image manifest: ${manifest.error.message}`);
    const configLabels = await readConfigLabels(repository, manifest.data.config);
    return { ...inherited, ...manifest.data.annotations, ...configLabels };
  };

  /** The digest the tag names now, or undefined when the tag does not exist (DescribeImages: metadata only, no pull). */
  const digestOfTag = async (repository: string, tag: string): Promise<string | undefined> => {
    try {
      const response = await client.send(new DescribeImagesCommand({ repositoryName: repository, imageIds: [{ imageTag: tag }] }));
      return response.imageDetails?.[0]?.imageDigest;
    } catch (error) {
      if (error instanceof ImageNotFoundException) return undefined;
      throw error;
    }
  };

  return {
    async readImageLabels(repository, digest) {
      const { ACCEPTED_MEDIA_TYPES, IMAGE_MANIFEST_MEDIA_TYPES, ImageIndexSchema, isAttestation, isIndex, platformName } = await ociManifest();
      const { images, failures } = await getImages(repository, [digest], ACCEPTED_MEDIA_TYPES);
      const image = images[0];
      if (!image) {
        if (failures.some((failure) => failure.failureCode === 'ImageNotFound')) throw new ImageGoneError(repository, digest);
        throw new EcrImageError(`BatchGetImage ${repository}@${digest} failed: ${describeFailures(failures)}`);
      }
      const top = parseJson(image.imageManifest, `manifest ${repository}@${digest}`);
      if (!isIndex(image.imageManifestMediaType, top)) {
        return [{ platform: null, labels: await labelsOfManifest(repository, image.imageManifest, {}) }];
      }
      const index = ImageIndexSchema.safeParse(top);
      if (!index.success) throw new EcrImageError(`index ${repository}@${digest} is not a valid image index: ${index.error.message}`);
      const children = index.data.manifests.filter((child) => !isAttestation(child));
      if (children.length === 0) return [];
      const fetched = await getImages(repository, children.map((child) => child.digest), [...IMAGE_MANIFEST_MEDIA_TYPES]);
      if (fetched.failures.length > 0) {
        throw new EcrImageError(`reading the platform images of index ${repository}@${digest} failed: ${describeFailures(fetched.failures)}`);
      }
      const byDigest = new Map(fetched.images.map((child) => [child.imageId?.imageDigest, child.imageManifest]));
      const inherited = index.data.annotations ?? {};
      return Promise.all(
        children.map(async (child) => ({
          platform: platformName(child) ?? child.digest,
          labels: await labelsOfManifest(repository, byDigest.get(child.digest), { ...inherited, ...child.annotations }),
        })),
      );
    },

    async removeTag(repository, tag, digest) {
      // ECR documents BatchDeleteImage for a tag (removes that tag; the image goes with its last tag) and for a
      // digest (removes the image and ALL its tags), not for both together. So the tag is re-read right before
      // a delete by tag alone, and removed only while it still names the judged digest: a late event for a tag
      // that was pushed again since must not take the newer image. What remains is the time between these two
      // calls (docs/tag-policy.md).
      const currentDigest = await digestOfTag(repository, tag);
      if (currentDigest === undefined) return { kind: 'already-removed' };
      if (currentDigest !== digest) return { kind: 'tag-moved', currentDigest };
      const response = await client.send(new BatchDeleteImageCommand({ repositoryName: repository, imageIds: [{ imageTag: tag }] }));
      const failures = response.failures ?? [];
      if (failures.length === 0) return { kind: 'removed-tag' };
      if (failures.every((failure) => failure.failureCode === 'ImageNotFound')) return { kind: 'already-removed' };
      throw new EcrImageError(`removing tag ${repository}:${tag} failed: ${describeFailures(failures)}`);
    },
  };
};

export { createEcrImages };
export { EcrImageError, ImageGoneError } from './ecr-image-errors.js';
export type { EcrImages, EcrImagesOptions, RemoveTagResult };
