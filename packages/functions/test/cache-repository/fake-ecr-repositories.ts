import {
  DeleteRepositoryPolicyCommand,
  DescribeRepositoriesCommand,
  type ECRClient,
  GetLifecyclePolicyCommand,
  GetRepositoryPolicyCommand,
  LifecyclePolicyNotFoundException,
  PutImageScanningConfigurationCommand,
  PutImageTagMutabilityCommand,
  PutLifecyclePolicyCommand,
  RepositoryNotFoundException,
  RepositoryPolicyNotFoundException,
  SetRepositoryPolicyCommand,
} from '@aws-sdk/client-ecr';
import type { AwsClientStub } from 'aws-sdk-client-mock';

type StoredRepository = {
  policyText?: string;
  scanOnPush: boolean;
  tagMutability: string;
  tagMutabilityExclusionFilters?: { filterType: string; filter: string }[];
  lifecyclePolicyText?: string;
};

/** The writes the worker may make, in call order, to assert "only what differs is written". */
const WRITE_COMMANDS = [
  SetRepositoryPolicyCommand,
  DeleteRepositoryPolicyCommand,
  PutImageScanningConfigurationCommand,
  PutImageTagMutabilityCommand,
  PutLifecyclePolicyCommand,
] as const;

const metadata = { $metadata: {} };

/**
 * Repositories as ECR holds them, behind an aws-sdk-client-mock ECR stub: reads answer from the stored
 * state (including ECR's "not found" exceptions) and writes change it, so a second run sees the first
 * run's result. Paging of DescribeRepositories is exercised with a small page size.
 */
class FakeEcrRepositories {
  readonly repositories = new Map<string, StoredRepository>();
  /** The nextToken of every listing call, as sent (the SDK paginator reuses one input object, so call records show only the last). */
  readonly listingTokens: (string | undefined)[] = [];
  readonly #pageSize: number;

  public constructor(options: { pageSize?: number } = {}) {
    this.#pageSize = options.pageSize ?? 1000;
  }

  public add(name: string, state: Partial<StoredRepository> = {}): void {
    this.repositories.set(name, { scanOnPush: false, tagMutability: 'MUTABLE', ...state });
  }

  public install(ecrMock: AwsClientStub<ECRClient>): void {
    const find = (name: string | undefined): StoredRepository => {
      const repository = this.repositories.get(name ?? '');
      if (!repository) throw new RepositoryNotFoundException({ message: `The repository with name '${name}' does not exist`, ...metadata });
      return repository;
    };
    ecrMock.on(DescribeRepositoriesCommand).callsFake((input: { repositoryNames?: string[]; nextToken?: string; maxResults?: number }) => {
      if (input.repositoryNames) {
        return {
          repositories: input.repositoryNames.map((name) => {
            const repository = find(name);
            return { repositoryName: name, imageScanningConfiguration: { scanOnPush: repository.scanOnPush }, imageTagMutability: repository.tagMutability, imageTagMutabilityExclusionFilters: repository.tagMutabilityExclusionFilters };
          }),
        };
      }
      this.listingTokens.push(input.nextToken);
      const names = [...this.repositories.keys()];
      const start = Number(input.nextToken ?? 0);
      const end = start + Math.min(this.#pageSize, input.maxResults ?? this.#pageSize);
      return {
        // Listing pages carry each repository's settings, as ECR's do.
        repositories: names.slice(start, end).map((repositoryName) => {
          const repository = find(repositoryName);
          return { repositoryName, imageScanningConfiguration: { scanOnPush: repository.scanOnPush }, imageTagMutability: repository.tagMutability };
        }),
        ...(end < names.length ? { nextToken: String(end) } : {}),
      };
    });
    ecrMock.on(GetRepositoryPolicyCommand).callsFake((input: { repositoryName: string }) => {
      const { policyText } = find(input.repositoryName);
      if (policyText === undefined) {
        throw new RepositoryPolicyNotFoundException({ message: 'Repository policy does not exist for the repository', ...metadata });
      }
      return { repositoryName: input.repositoryName, policyText };
    });
    ecrMock.on(SetRepositoryPolicyCommand).callsFake((input: { repositoryName: string; policyText: string }) => {
      find(input.repositoryName).policyText = input.policyText;
      return { repositoryName: input.repositoryName, policyText: input.policyText };
    });
    ecrMock.on(DeleteRepositoryPolicyCommand).callsFake((input: { repositoryName: string }) => {
      const repository = find(input.repositoryName);
      if (repository.policyText === undefined) throw new RepositoryPolicyNotFoundException({ message: 'no policy', ...metadata });
      delete repository.policyText;
      return { repositoryName: input.repositoryName };
    });
    ecrMock.on(GetLifecyclePolicyCommand).callsFake((input: { repositoryName: string }) => {
      const { lifecyclePolicyText } = find(input.repositoryName);
      if (lifecyclePolicyText === undefined) throw new LifecyclePolicyNotFoundException({ message: 'Lifecycle policy does not exist', ...metadata });
      return { repositoryName: input.repositoryName, lifecyclePolicyText };
    });
    ecrMock.on(PutLifecyclePolicyCommand).callsFake((input: { repositoryName: string; lifecyclePolicyText: string }) => {
      find(input.repositoryName).lifecyclePolicyText = input.lifecyclePolicyText;
      return { repositoryName: input.repositoryName };
    });
    ecrMock.on(PutImageScanningConfigurationCommand).callsFake((input: { repositoryName: string; imageScanningConfiguration: { scanOnPush: boolean } }) => {
      find(input.repositoryName).scanOnPush = input.imageScanningConfiguration.scanOnPush;
      return { repositoryName: input.repositoryName };
    });
    ecrMock.on(PutImageTagMutabilityCommand).callsFake((input: { repositoryName: string; imageTagMutability: string; imageTagMutabilityExclusionFilters?: { filterType: string; filter: string }[] }) => {
      find(input.repositoryName).tagMutability = input.imageTagMutability;
      find(input.repositoryName).tagMutabilityExclusionFilters = input.imageTagMutabilityExclusionFilters;
      return { repositoryName: input.repositoryName };
    });
  }
}

/** Every write command the worker sent, as [command name, repository]. */
const writesOf = (ecrMock: AwsClientStub<ECRClient>): [string, string][] =>
  ecrMock
    .calls()
    .map((call) => call.args[0])
    .filter((command) => WRITE_COMMANDS.some((type) => command instanceof type))
    .map((command) => [command.constructor.name, (command.input as { repositoryName: string }).repositoryName]);

export { FakeEcrRepositories, writesOf };
export type { StoredRepository };
