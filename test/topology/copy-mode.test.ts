import { COPY_PULL_ACTIONS, renderPullStatements } from '@dockmaster/core/cache-repository';
import type { DockmasterConfig } from '@dockmaster/core/config';
import { AutomationId } from '@dockmaster/core/constants';
import {
  buildTopology,
  LOCAL_ONLY_WORKER_VARIABLES,
  routeEvent,
  upstreamEndpointFrom,
  upstreamEndpointsValue,
  WORKER_ENVIRONMENT,
  type IamStatement,
  type Topology,
} from '@dockmaster/core/topology';
import { describe, expect, it } from 'vitest';
import { cacheResources } from '../../infra/cache-resources';
import { createRepositoryEvent, exampleConfigWith, loadExampleConfig, sampleWith } from './helpers.js';

/*
 * Copy-mode prefixes in the topology and the infra: no pull-through cache rule or creation template, the copy's
 * push rights on the prefix alone, the secret it reads and nothing else, and the cache-repository worker still
 * configuring the repositories the copy creates.
 */

const example = loadExampleConfig();
const k8s = example.pullThroughCache[0]!;
const COPY_SECRET = 'arn:aws:secretsmanager:eu-central-1:111122223333:secret:registries/nvcr-AbCdEf';
const CACHE_SECRET = 'arn:aws:secretsmanager:eu-central-1:111122223333:secret:ecr-pullthroughcache/ghcr-AbCdEf';

const mcr: DockmasterConfig['pullThroughCache'][number] = {
  prefix: 'mcr',
  upstream: 'mcr.microsoft.com',
  mode: 'copy',
  repositoryPolicy: { pullAccounts: ['444455556666'], pullOrganizations: [] },
  prepopulate: { images: [{ image: 'dotnet/runtime', tags: ['8.0'] }] },
};
const nvcr: DockmasterConfig['pullThroughCache'][number] = {
  prefix: 'nvcr',
  upstream: 'nvcr.io',
  mode: 'copy',
  credentialArn: COPY_SECRET,
  prepopulate: { images: [{ image: 'nvidia/cuda', tags: { regex: '^12\\.4\\..*' } }] },
};
const ghcr: DockmasterConfig['pullThroughCache'][number] = {
  prefix: 'ghcr',
  upstream: 'ghcr.io',
  mode: 'cache',
  credentialArn: CACHE_SECRET,
  prepopulate: { images: [{ image: 'fluxcd/flux-cli', tags: ['v2.3.0'] }] },
};

const config = exampleConfigWith({ pullThroughCache: [k8s, mcr, nvcr, ghcr] });
const topology = buildTopology(config, { configParameterName: '/dockmaster/test/config' });

const automation = (candidate: Topology, id: AutomationId) => candidate.automations.find((spec) => spec.id === id)!;
const statement = (candidate: Topology, id: AutomationId, sid: string): IamStatement | undefined => automation(candidate, id).permissions.find((entry) => entry.sid === sid);
const arn = (name: string) => `arn:aws:ecr:eu-central-1:111122223333:repository/${name}`;

describe('the prepopulate role with copy-mode prefixes', () => {
  it('may push into the copy prefixes only, with exactly the actions a copy needs', () => {
    // Act
    const copy = statement(topology, AutomationId.Prepopulate, 'CopyIntoRepositories');
    const pull = statement(topology, AutomationId.Prepopulate, 'PullThroughCache');

    // Assess
    expect(copy?.resources).toEqual([arn('mcr/*'), arn('nvcr/*')]);
    expect(copy?.actions.slice().sort()).toEqual([
      'ecr:BatchCheckLayerAvailability',
      'ecr:BatchGetImage',
      'ecr:CompleteLayerUpload',
      'ecr:CreateRepository',
      'ecr:DescribeRepositories',
      'ecr:GetDownloadUrlForLayer',
      'ecr:InitiateLayerUpload',
      'ecr:PutImage',
      'ecr:UploadLayerPart',
    ]);
    expect(pull?.resources).toEqual([arn('ghcr/*'), arn('k8s/*')]);
    expect(pull?.actions).toContain('ecr:BatchImportUpstreamImage');
    expect(pull?.actions).not.toContain('ecr:PutImage');
  });

  it('reads the copy entries’ secrets, by exact ARN, and not the pull-through cache’s (ECR reads that one itself)', () => {
    // Act
    const secrets = statement(topology, AutomationId.Prepopulate, 'ReadUpstreamCredentials');

    // Assess
    expect(secrets).toEqual({ sid: 'ReadUpstreamCredentials', actions: ['secretsmanager:GetSecretValue'], resources: [COPY_SECRET] });
  });

  it('grants no push rights and reads no secret without a copy-mode prefix', () => {
    // Prepare
    const cacheOnly = buildTopology(exampleConfigWith({ pullThroughCache: [k8s, ghcr] }));

    // Act
    const sids = automation(cacheOnly, AutomationId.Prepopulate).permissions.map((entry) => entry.sid);

    // Assess
    expect(sids).toEqual(['ReadConfiguration', 'PullThroughCache', 'RestoreArchivedImages', 'RegistryLogin']);
  });
});

describe('cache-repository rules with copy-mode prefixes', () => {
  const route = (event: unknown) => routeEvent(topology, event);

  it('configures a repository the copy creates (CreateRepository API call) under a copy prefix', () => {
    // Act
    const created = route(createRepositoryEvent('api', 'mcr/dotnet/runtime'));

    // Assess
    expect(created).toEqual([AutomationId.CacheRepository]);
  });

  it('does not claim the pull-through cache events for a copy prefix, and keeps them for the cache prefixes', () => {
    // Prepare
    const pullThrough = (repository: string, prefix: string) =>
      sampleWith('ecr-pull-through-cache-action.normalized.json', { detail: { 'repository-name': repository, 'ecr-repository-prefix': prefix } });

    // Act
    const reached = [
      route(pullThrough('mcr/dotnet/runtime', 'mcr')),
      route(createRepositoryEvent('service', 'mcr/dotnet/runtime')),
      route(pullThrough('ghcr/fluxcd/flux-cli', 'ghcr')),
      route(createRepositoryEvent('service', 'ghcr/fluxcd/flux-cli')),
    ];

    // Assess
    expect(reached).toEqual([[], [], [AutomationId.CacheRepository], [AutomationId.CacheRepository]]);
  });

  it('has no pull-through cache rules at all when every prefix copies', () => {
    // Prepare
    const copyOnly = buildTopology(exampleConfigWith({ pullThroughCache: [mcr] }));

    // Act
    const names = automation(copyOnly, AutomationId.CacheRepository).rules.map((rule) => rule.name);

    // Assess
    expect(names).toEqual(['cache-repository-created-by-api', 'cache-repository-replicated', 'cache-repository-reconcile']);
  });
});

describe('repository policy of a copy prefix', () => {
  it('grants pulls without ecr:BatchImportUpstreamImage, since no pull-through cache stands behind the repositories', () => {
    // Act
    const statements = renderPullStatements(mcr, 'aws');

    // Assess
    expect(statements).toEqual([{ Sid: 'DockmasterPullAccounts', Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::444455556666:root'] }, Action: [...COPY_PULL_ACTIONS] }]);
    expect(COPY_PULL_ACTIONS).toEqual(['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability']);
  });
});

describe('infra for copy-mode prefixes', () => {
  it('creates neither a pull-through cache rule nor a creation template for them', () => {
    // Act
    const resources = cacheResources(config);

    // Assess
    expect(resources.map((resource) => [resource.prefix, resource.rule.upstreamRegistryUrl])).toEqual([
      ['k8s', 'registry.k8s.io'],
      ['ghcr', 'ghcr.io'],
    ]);
  });
});

describe('DOCKMASTER_UPSTREAM_ENDPOINTS', () => {
  it('is set by no automation of the topology: infra never deploys it', () => {
    // Act
    const listed = topology.automations.flatMap((spec) => spec.environment as string[]);

    // Assess
    expect(LOCAL_ONLY_WORKER_VARIABLES).toEqual(['upstreamEndpoints']);
    expect(WORKER_ENVIRONMENT.upstreamEndpoints).toBe('DOCKMASTER_UPSTREAM_ENDPOINTS');
    expect(listed).not.toContain('upstreamEndpoints');
  });

  it('maps upstream hosts to root URLs, case-insensitively, and nothing else', () => {
    // Prepare
    const value = upstreamEndpointsValue({ 'MCR.microsoft.com': 'http://127.0.0.1:41236/', 'nvcr.io': 'http://127.0.0.1:41237' });

    // Act
    const found = ['mcr.microsoft.com', 'NVCR.IO', 'gcr.io'].map((host) => upstreamEndpointFrom(value, host));

    // Assess
    expect(value).toBe('{"mcr.microsoft.com":"http://127.0.0.1:41236/","nvcr.io":"http://127.0.0.1:41237"}');
    expect(found).toEqual(['http://127.0.0.1:41236', 'http://127.0.0.1:41237', undefined]);
    expect([undefined, '', '  '].map((empty) => upstreamEndpointFrom(empty, 'mcr.microsoft.com'))).toEqual([undefined, undefined, undefined]);
  });

  it('refuses a value that is not a JSON object of http(s) URLs, naming the variable', () => {
    // Act
    const attempts = ['{"mcr.microsoft.com": 3}', '{"mcr.microsoft.com": "ftp://x"}', '["http://x"]', '{"mcr'].map((value) => () => upstreamEndpointFrom(value, 'mcr.microsoft.com'));

    // Assess
    for (const attempt of attempts) expect(attempt).toThrow(/DOCKMASTER_UPSTREAM_ENDPOINTS must be a JSON object of http\(s\) URLs by upstream host/);
  });
});
