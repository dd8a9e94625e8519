import { DescribeRepositoriesCommand, ECRClient, paginateDescribeRepositories, PutImageTagMutabilityCommand, RepositoryNotFoundException } from '@aws-sdk/client-ecr';
import { TagMutability } from '@dockmaster/core/constants';
import type { EcrTagMutabilitySetting } from '@dockmaster/core/tag-policy';

/** A repository's tag mutability as DescribeRepositories reports it (filters only with the *_WITH_EXCLUSION values). */
type CurrentTagMutability = {
  imageTagMutability: string;
  imageTagMutabilityExclusionFilters: { filterType: string; filter: string }[];
};

/**
 * What the tag-policy worker needs to keep a tag policy's immutability in ECR. Its own adapter, not the
 * cache-repository worker's ecr-repositories.ts: the worker's bundle (and so its IAM, worker-calls.ts) then
 * holds only these three calls.
 */
type EcrTagMutability = {
  /** Undefined when the repository does not exist (any more). */
  describeTagMutability(repository: string): Promise<CurrentTagMutability | undefined>;
  putTagMutability(repository: string, setting: EcrTagMutabilitySetting): Promise<void>;
  /** Every repository name of the registry, sorted: DescribeRepositories cannot filter, the sweep filters by policy. */
  listRepositories(): Promise<string[]>;
};

/** DescribeRepositories accepts at most 1000 per page. */
const PAGE_SIZE = 1000;

const createEcrTagMutability = ({ client = new ECRClient({}) }: { client?: ECRClient } = {}): EcrTagMutability => ({
  async describeTagMutability(repository) {
    try {
      const response = await client.send(new DescribeRepositoriesCommand({ repositoryNames: [repository] }));
      const found = response.repositories?.[0];
      if (!found) return undefined;
      return {
        imageTagMutability: found.imageTagMutability ?? TagMutability.Mutable,
        imageTagMutabilityExclusionFilters: (found.imageTagMutabilityExclusionFilters ?? []).map((filter) => ({ filterType: filter.filterType ?? '', filter: filter.filter ?? '' })),
      };
    } catch (error) {
      if (error instanceof RepositoryNotFoundException) return undefined;
      throw error;
    }
  },

  async putTagMutability(repository, setting) {
    await client.send(
      new PutImageTagMutabilityCommand({
        repositoryName: repository,
        imageTagMutability: setting.imageTagMutability,
        ...(setting.imageTagMutabilityExclusionFilters === undefined ? {} : { imageTagMutabilityExclusionFilters: setting.imageTagMutabilityExclusionFilters }),
      }),
    );
  },

  async listRepositories() {
    const names: string[] = [];
    for await (const page of paginateDescribeRepositories({ client, pageSize: PAGE_SIZE }, {})) {
      for (const repository of page.repositories ?? []) if (repository.repositoryName) names.push(repository.repositoryName);
    }
    return names.sort();
  },
});

export { createEcrTagMutability };
export type { CurrentTagMutability, EcrTagMutability };
