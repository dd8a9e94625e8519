import { ECRClient, paginateDescribeImages, paginateDescribeRepositories, RepositoryNotFoundException } from '@aws-sdk/client-ecr';

/** When images were pushed to one repository, as far as the watchdog cares. */
type PushSummary = {
  /** The newest imagePushedAt. */
  lastPushAt?: Date;
  /** The oldest imagePushedAt strictly after `since`: the push that has waited longest for a scan. */
  firstPushAfter?: Date;
};

/** What the watchdog reads from ECR; an interface so it can be tested without ECR. */
type PushActivityReader = {
  /** Every repository name of the registry. */
  listRepositories(): Promise<string[]>;
  /** Pushes of the repository (all images, paginated); empty when the repository is gone. */
  pushSummary(repository: string, since: Date): Promise<PushSummary>;
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
    let firstPushAfter: Date | undefined;
    try {
      for await (const page of paginateDescribeImages({ client, pageSize: PAGE_SIZE }, { repositoryName: repository })) {
        for (const image of page.imageDetails ?? []) {
          const pushedAt = image.imagePushedAt;
          if (!pushedAt) continue;
          if (!lastPushAt || pushedAt > lastPushAt) lastPushAt = pushedAt;
          if (pushedAt > since && (!firstPushAfter || pushedAt < firstPushAfter)) firstPushAfter = pushedAt;
        }
      }
    } catch (error) {
      // Deleted between listing and describing: nothing was pushed that could still be scanned.
      if (error instanceof RepositoryNotFoundException) return {};
      throw error;
    }
    return { ...(lastPushAt ? { lastPushAt } : {}), ...(firstPushAfter ? { firstPushAfter } : {}) };
  },
});

export { createPushActivityReader };
export type { PushActivityReader, PushActivityReaderOptions, PushSummary };
