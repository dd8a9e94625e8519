import {
  DescribeImageScanFindingsCommand,
  ECRClient,
  ImageNotFoundException,
  paginateDescribeImages,
  paginateDescribeRepositories,
  RepositoryNotFoundException,
  ScanNotFoundException,
} from '@aws-sdk/client-ecr';

/** One image and when it was pushed. */
type PushedImage = { digest: string; pushedAt: Date };

/** When images were pushed to one repository, as far as the watchdog cares. */
type PushSummary = {
  /** The newest imagePushedAt. */
  lastPushAt?: Date;
  /** The oldest imagePushedAt strictly after `since`: the push that has waited longest for a scan. */
  firstPushAfter?: Date;
  /** Every image pushed strictly after `since`, oldest first. */
  pushesAfter: PushedImage[];
};

/** ECR's own record of an image's scan (DescribeImageScanFindings), whether or not its result reached the worker. */
type ImageScanRecord = {
  /** imageScanStatus.status: COMPLETE, ACTIVE (enhanced), FAILED, IN_PROGRESS, PENDING, ... */
  status?: string;
  /** imageScanFindings.imageScanCompletedAt. */
  completedAt?: Date;
};

/** What the watchdog reads from ECR; an interface so it can be tested without ECR. */
type PushActivityReader = {
  /** Every repository name of the registry. */
  listRepositories(): Promise<string[]>;
  /** Pushes of the repository (all images, paginated); empty when the repository is gone. */
  pushSummary(repository: string, since: Date): Promise<PushSummary>;
  /** The image's scan as ECR records it; undefined when ECR has none (never scanned) or the image is gone. */
  scanRecord(repository: string, digest: string): Promise<ImageScanRecord | undefined>;
};

type PushActivityReaderOptions = { client?: ECRClient };

/** ECR's maximum page size for both calls: fewest calls on a large registry. */
const PAGE_SIZE = 1000;

const createPushActivityReader = ({ client = new ECRClient({}) }: PushActivityReaderOptions = {}): PushActivityReader => ({
  async listRepositories() {
    const names: string[] = [];
    for await (const page of paginateDescribeRepositories({ client, pageSize: PAGE_SIZE }, {})) {
      for (const repository of page.repositories ?? []) if (repository.repositoryName) names.push(repository.repositoryName);
    }
    return names.sort();
  },

  async pushSummary(repository, since) {
    let lastPushAt: Date | undefined;
    const pushesAfter: PushedImage[] = [];
    try {
      for await (const page of paginateDescribeImages({ client, pageSize: PAGE_SIZE }, { repositoryName: repository })) {
        for (const image of page.imageDetails ?? []) {
          const pushedAt = image.imagePushedAt;
          if (!pushedAt) continue;
          if (!lastPushAt || pushedAt > lastPushAt) lastPushAt = pushedAt;
          if (pushedAt > since && image.imageDigest) pushesAfter.push({ digest: image.imageDigest, pushedAt });
        }
      }
    } catch (error) {
      // Deleted between listing and describing: nothing was pushed that could still be scanned.
      if (error instanceof RepositoryNotFoundException) return { pushesAfter: [] };
      throw error;
    }
    pushesAfter.sort((left, right) => left.pushedAt.getTime() - right.pushedAt.getTime());
    const firstPushAfter = pushesAfter[0]?.pushedAt;
    return { ...(lastPushAt ? { lastPushAt } : {}), ...(firstPushAfter ? { firstPushAfter } : {}), pushesAfter };
  },

  async scanRecord(repository, digest) {
    try {
      // One finding is enough: only the status and the completion time are read.
      const response = await client.send(new DescribeImageScanFindingsCommand({ repositoryName: repository, imageId: { imageDigest: digest }, maxResults: 1 }));
      const status = response.imageScanStatus?.status;
      const completedAt = response.imageScanFindings?.imageScanCompletedAt;
      return { ...(status ? { status } : {}), ...(completedAt ? { completedAt } : {}) };
    } catch (error) {
      if (error instanceof ScanNotFoundException || error instanceof ImageNotFoundException || error instanceof RepositoryNotFoundException) return undefined;
      throw error;
    }
  },
});

export { createPushActivityReader };
export type { ImageScanRecord, PushActivityReader, PushActivityReaderOptions, PushedImage, PushSummary };
