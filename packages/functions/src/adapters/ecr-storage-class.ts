import { DescribeImagesCommand, ECRClient, ImageNotFoundException, RepositoryNotFoundException, UpdateImageStorageClassCommand } from '@aws-sdk/client-ecr';
import { EcrImageStatus, EcrStorageClass } from '@dockmaster/core/events/vocabulary';

/** One image as DescribeImages reports it, whatever its storage class. */
type StoredImage = { digest: string; tags: string[]; imageStatus: string };

/** What a restore request came to: ECR started it (its answer: ACTIVATING, or ACTIVE), or the image is gone. */
type RestoreResult = { kind: 'restoring'; imageStatus: string } | { kind: 'gone' };

/** What the prepopulate worker needs to restore archived images; an interface so the worker can be tested without ECR. */
type EcrStorageClasses = {
  /** The image with this digest, archived or not; undefined when it (or the repository) no longer exists. */
  describeImage(repository: string, digest: string): Promise<StoredImage | undefined>;
  /** UpdateImageStorageClass to STANDARD for exactly this digest. */
  restoreImage(repository: string, digest: string): Promise<RestoreResult>;
};

type EcrStorageClassesOptions = { client?: ECRClient };

const isGone = (error: unknown): boolean => error instanceof ImageNotFoundException || error instanceof RepositoryNotFoundException;

const createEcrStorageClasses = (options: EcrStorageClassesOptions = {}): EcrStorageClasses => {
  const client = options.client ?? new ECRClient({});
  return {
    describeImage: async (repository, digest) => {
      try {
        // Without the filter DescribeImages reports ACTIVE images only (API reference, DescribeImagesFilter).
        const described = await client.send(
          new DescribeImagesCommand({ repositoryName: repository, imageIds: [{ imageDigest: digest }], filter: { imageStatus: 'ANY' } }),
        );
        const detail = described.imageDetails?.find((candidate) => candidate.imageDigest === digest);
        if (detail === undefined) return undefined;
        // An image described before the archive feature has no status: it is active.
        return { digest, tags: [...(detail.imageTags ?? [])].sort(), imageStatus: detail.imageStatus ?? EcrImageStatus.Active };
      } catch (error) {
        if (isGone(error)) return undefined;
        throw error;
      }
    },
    restoreImage: async (repository, digest) => {
      try {
        const answer = await client.send(
          new UpdateImageStorageClassCommand({ repositoryName: repository, imageId: { imageDigest: digest }, targetStorageClass: EcrStorageClass.Standard }),
        );
        return { kind: 'restoring', imageStatus: answer.imageStatus ?? EcrImageStatus.Activating };
      } catch (error) {
        if (isGone(error)) return { kind: 'gone' };
        throw error;
      }
    },
  };
};

export { createEcrStorageClasses };
export type { EcrStorageClasses, EcrStorageClassesOptions, RestoreResult, StoredImage };
