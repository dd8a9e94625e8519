import { CreateRepositoryCommand, DescribeRepositoriesCommand, ECRClient, RepositoryAlreadyExistsException, RepositoryNotFoundException } from '@aws-sdk/client-ecr';
import type { RepositorySettings } from '@dockmaster/core/cache-repository';

/** Makes sure a repository exists, for pushes into registries that, like ECR, do not create repositories on push. */
type RepositoryCreator = {
  /** True when the repository was created now, false when it existed. */
  ensureRepository(repository: string, settings: RepositorySettings): Promise<boolean>;
};

type EcrRepositoryCreatorOptions = { client?: ECRClient };

/**
 * DescribeRepositories first, so an existing repository costs one read and no failed CreateRepository in
 * CloudTrail; CreateRepository only when it is missing, with scan on push and tag mutability (no resource tags,
 * so no ecr:TagResource). A repository created meanwhile by someone else counts as existing. Everything else
 * (AccessDeniedException, throttling) is thrown as the SDK reports it.
 */
const createEcrRepositoryCreator = ({ client = new ECRClient({}) }: EcrRepositoryCreatorOptions = {}): RepositoryCreator => ({
  async ensureRepository(repository, settings) {
    try {
      await client.send(new DescribeRepositoriesCommand({ repositoryNames: [repository] }));
      return false;
    } catch (error) {
      if (!(error instanceof RepositoryNotFoundException)) throw error;
    }
    try {
      await client.send(
        new CreateRepositoryCommand({
          repositoryName: repository,
          imageScanningConfiguration: { scanOnPush: settings.scanOnPush },
          imageTagMutability: settings.tagMutability,
          ...(settings.tagMutabilityExclusionFilters === undefined
            ? {}
            : { imageTagMutabilityExclusionFilters: settings.tagMutabilityExclusionFilters.map((filter) => ({ filterType: 'WILDCARD' as const, filter })) }),
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof RepositoryAlreadyExistsException) return false;
      throw error;
    }
  },
});

export { createEcrRepositoryCreator };
export type { EcrRepositoryCreatorOptions, RepositoryCreator };
