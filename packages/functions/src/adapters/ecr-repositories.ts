import {
  DeleteRepositoryPolicyCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  GetLifecyclePolicyCommand,
  GetRepositoryPolicyCommand,
  ImageNotFoundException,
  InvalidParameterException,
  LifecyclePolicyNotFoundException,
  paginateDescribeRepositories,
  PutImageScanningConfigurationCommand,
  PutImageTagMutabilityCommand,
  PutLifecyclePolicyCommand,
  RepositoryNotFoundException,
  type Repository,
  RepositoryPolicyNotFoundException,
  SetRepositoryPolicyCommand,
} from '@aws-sdk/client-ecr';
import { type EcrTagMutability, TagMutability } from '@dockmaster/core/constants';
import { UserFacingError } from '@dockmaster/core/errors';

/** A repository's own settings as DescribeRepositories reports them. */
type RepositoryDescription = {
  name: string;
  scanOnPush: boolean;
  /** MUTABLE or IMMUTABLE, or one of ECR's *_WITH_EXCLUSION variants. */
  tagMutability: string;
  /** The exclusion filters of the *_WITH_EXCLUSION variants (empty otherwise). */
  tagMutabilityExclusionFilters: string[];
};

/** An image found by tag (DescribeImages). */
type TaggedImage = { digest: string; sizeBytes?: number; pushedAt?: Date };

/**
 * What the cache-repository and prepopulate workers need from ECR's repository APIs; an interface so the
 * workers can be tested without ECR. Every "not found" answer ECR models as an exception is `undefined` here.
 */
type EcrRepositories = {
  /** Policy text, or undefined when the repository has no policy (RepositoryPolicyNotFoundException). */
  getRepositoryPolicy(repository: string): Promise<string | undefined>;
  setRepositoryPolicy(repository: string, policyText: string): Promise<void>;
  /** Deletes the policy; a policy that is already gone counts as deleted. */
  deleteRepositoryPolicy(repository: string): Promise<void>;
  /** Undefined when the repository does not exist (any more). */
  describeRepository(repository: string): Promise<RepositoryDescription | undefined>;
  /** Lifecycle policy text, or undefined when the repository has none. */
  getLifecyclePolicy(repository: string): Promise<string | undefined>;
  putLifecyclePolicy(repository: string, lifecyclePolicyText: string): Promise<void>;
  putImageScanningConfiguration(repository: string, scanOnPush: boolean): Promise<void>;
  /** Sets the value with its WILDCARD exclusion filters (only for the *_WITH_EXCLUSION values). */
  putImageTagMutability(repository: string, tagMutability: EcrTagMutability, exclusionFilters?: readonly string[]): Promise<void>;
  /** Names of every repository under one of the prefixes (`<prefix>/...`), sorted. */
  listRepositoriesUnder(prefixes: readonly string[]): Promise<string[]>;
  /**
   * Every repository under one of the prefixes with the settings DescribeRepositories reports, sorted by name:
   * the listing pages already carry them, so a sweep needs no DescribeRepositories per repository.
   */
  describeRepositoriesUnder(prefixes: readonly string[]): Promise<RepositoryDescription[]>;
  /** The image the tag points at, or undefined when the tag (or the repository) does not exist. */
  describeImageByTag(repository: string, tag: string): Promise<TaggedImage | undefined>;
};

type EcrRepositoriesOptions = { client?: ECRClient };

/**
 * ECR refused a repository policy: typically a granted account that does not exist or has the Region
 * disabled ('Principal not found', 'Invalid repository policy provided'). Retrying cannot fix it.
 */
class RepositoryPolicyRejectedError extends UserFacingError {
  public readonly repository: string;

  public constructor(repository: string, reason: string, options?: ErrorOptions) {
    super(
      'REPOSITORY_POLICY_REJECTED',
      `ECR rejected the repository policy for "${repository}": ${reason}. Check that every account in pullAccounts exists ` +
        'and has this Region enabled, and every pullOrganizations id is right, under pullThroughCache in the Dockmaster config; ' +
        'the statements Dockmaster did not write are kept as they are, so also check those (aws ecr get-repository-policy).',
      options,
    );
    this.name = 'RepositoryPolicyRejectedError';
    this.repository = repository;
  }
}

/** DescribeRepositories accepts at most 1000 per page; fewer calls for a large registry. */
const DESCRIBE_REPOSITORIES_PAGE_SIZE = 1000;

const descriptionOf = (repository: Repository, name: string): RepositoryDescription => ({
  name: repository.repositoryName ?? name,
  scanOnPush: repository.imageScanningConfiguration?.scanOnPush ?? false,
  // ECR's documented default when a repository reports none.
  tagMutability: repository.imageTagMutability ?? TagMutability.Mutable,
  tagMutabilityExclusionFilters: (repository.imageTagMutabilityExclusionFilters ?? []).flatMap((filter) => (filter.filter === undefined ? [] : [filter.filter])),
});

const describeRepositoriesUnder = async (client: ECRClient, prefixes: readonly string[]): Promise<RepositoryDescription[]> => {
  // DescribeRepositories cannot filter by prefix, so the listing is filtered here, page by page.
  const found: RepositoryDescription[] = [];
  const pages = paginateDescribeRepositories({ client, pageSize: DESCRIBE_REPOSITORIES_PAGE_SIZE }, {});
  for await (const page of pages) {
    for (const repository of page.repositories ?? []) {
      const name = repository.repositoryName;
      if (name && prefixes.some((prefix) => name.startsWith(`${prefix}/`))) found.push(descriptionOf(repository, name));
    }
  }
  return found.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
};

const createEcrRepositories = ({ client = new ECRClient({}) }: EcrRepositoriesOptions = {}): EcrRepositories => ({
  async getRepositoryPolicy(repository) {
    try {
      const response = await client.send(new GetRepositoryPolicyCommand({ repositoryName: repository }));
      return response.policyText;
    } catch (error) {
      if (error instanceof RepositoryPolicyNotFoundException) return undefined;
      throw error;
    }
  },

  async setRepositoryPolicy(repository, policyText) {
    try {
      // No `force`: it only skips ECR's lock-out guard, and Dockmaster never writes statements that deny.
      await client.send(new SetRepositoryPolicyCommand({ repositoryName: repository, policyText }));
    } catch (error) {
      if (error instanceof InvalidParameterException) throw new RepositoryPolicyRejectedError(repository, error.message, { cause: error });
      throw error;
    }
  },

  async deleteRepositoryPolicy(repository) {
    try {
      await client.send(new DeleteRepositoryPolicyCommand({ repositoryName: repository }));
    } catch (error) {
      if (!(error instanceof RepositoryPolicyNotFoundException)) throw error;
    }
  },

  async describeRepository(repository) {
    try {
      const response = await client.send(new DescribeRepositoriesCommand({ repositoryNames: [repository] }));
      const found = response.repositories?.[0];
      if (!found) return undefined;
      return descriptionOf(found, repository);
    } catch (error) {
      if (error instanceof RepositoryNotFoundException) return undefined;
      throw error;
    }
  },

  async getLifecyclePolicy(repository) {
    try {
      const response = await client.send(new GetLifecyclePolicyCommand({ repositoryName: repository }));
      return response.lifecyclePolicyText;
    } catch (error) {
      if (error instanceof LifecyclePolicyNotFoundException) return undefined;
      throw error;
    }
  },

  async putLifecyclePolicy(repository, lifecyclePolicyText) {
    await client.send(new PutLifecyclePolicyCommand({ repositoryName: repository, lifecyclePolicyText }));
  },

  async putImageScanningConfiguration(repository, scanOnPush) {
    await client.send(new PutImageScanningConfigurationCommand({ repositoryName: repository, imageScanningConfiguration: { scanOnPush } }));
  },

  async putImageTagMutability(repository, tagMutability, exclusionFilters) {
    await client.send(
      new PutImageTagMutabilityCommand({
        repositoryName: repository,
        imageTagMutability: tagMutability,
        ...(exclusionFilters === undefined ? {} : { imageTagMutabilityExclusionFilters: exclusionFilters.map((filter) => ({ filterType: 'WILDCARD', filter })) }),
      }),
    );
  },

  async listRepositoriesUnder(prefixes) {
    return (await describeRepositoriesUnder(client, prefixes)).map((repository) => repository.name);
  },

  describeRepositoriesUnder: (prefixes) => describeRepositoriesUnder(client, prefixes),

  async describeImageByTag(repository, tag) {
    try {
      const response = await client.send(new DescribeImagesCommand({ repositoryName: repository, imageIds: [{ imageTag: tag }] }));
      const image = response.imageDetails?.[0];
      if (!image?.imageDigest) return undefined;
      return {
        digest: image.imageDigest,
        ...(image.imageSizeInBytes === undefined ? {} : { sizeBytes: image.imageSizeInBytes }),
        ...(image.imagePushedAt === undefined ? {} : { pushedAt: image.imagePushedAt }),
      };
    } catch (error) {
      if (error instanceof ImageNotFoundException || error instanceof RepositoryNotFoundException) return undefined;
      throw error;
    }
  },
});

export { createEcrRepositories, RepositoryPolicyRejectedError };
export type { EcrRepositories, EcrRepositoriesOptions, RepositoryDescription, TaggedImage };
