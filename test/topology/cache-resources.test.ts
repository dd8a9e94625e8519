import { renderPullStatements } from '@dockmaster/core/cache-repository';
import { describe, expect, it } from 'vitest';
import { cacheResources, templateResources } from '../../infra/cache-resources';
import { exampleConfigWith, loadExampleConfig } from './helpers.js';

/* infra/cache-resources.ts: the pull-through cache rule and repository creation template per cache prefix. */

const example = loadExampleConfig();
const k8s = example.pullThroughCache[0]!;
const SECRET = 'arn:aws:secretsmanager:eu-central-1:111122223333:secret:ecr-pullthroughcache/docker-hub-AbCdEf';

describe('cacheResources', () => {
  it('creates the example k8s rule and a PULL_THROUGH_CACHE template with its pull policy, lifecycle and mutability', () => {
    // Act
    const [resources] = cacheResources(example);

    // Assess
    expect(resources?.rule).toEqual({ ecrRepositoryPrefix: 'k8s', upstreamRegistryUrl: 'registry.k8s.io' });
    expect(resources?.template).toMatchObject({ prefix: 'k8s', appliedFors: ['PULL_THROUGH_CACHE'], imageTagMutability: 'MUTABLE' });
    expect(JSON.parse(resources?.template.repositoryPolicy ?? '{}')).toEqual({ Version: '2012-10-17', Statement: renderPullStatements(k8s, 'aws') });
    expect(JSON.parse(resources?.template.lifecyclePolicy ?? '{}').rules[0].selection).toMatchObject({ tagStatus: 'untagged', countNumber: 14 });
    expect(resources?.template.description).toBe('Dockmaster: pull-through cache k8s/ <- registry.k8s.io');
    // Neither resource tags nor KMS: ECR then needs no customRoleArn to create the repositories.
    expect(Object.keys(resources?.template ?? {}).sort()).toEqual(['appliedFors', 'description', 'imageTagMutability', 'lifecyclePolicy', 'prefix', 'repositoryPolicy']);
  });

  it.each([
    ['cn-north-1', 'arn:aws-cn:iam::444455556666:root'],
    ['us-gov-west-1', 'arn:aws-us-gov:iam::444455556666:root'],
    ['eu-central-1', 'arn:aws:iam::444455556666:root'],
  ])("names the template's granted accounts in the partition of %s", (region, principal) => {
    // Prepare
    const config = exampleConfigWith({ registry: { accountId: '111122223333', region } });

    // Act
    const [resources] = cacheResources(config);

    // Assess
    const statements = JSON.parse(resources?.template.repositoryPolicy ?? '{}').Statement as { Sid: string; Principal: unknown }[];
    expect(statements.find((statement) => statement.Sid === 'DockmasterPullAccounts')?.Principal).toEqual({ AWS: [principal, principal.replace('444455556666', '777788889999')] });
  });

  it('passes the credential of an upstream that needs one, and leaves out what an entry does not configure', () => {
    // Prepare
    const config = exampleConfigWith({
      pullThroughCache: [k8s, { prefix: 'docker-hub', upstream: 'registry-1.docker.io', mode: 'cache', credentialArn: SECRET }],
    });

    // Act
    const resources = cacheResources(config);

    // Assess
    expect(resources.map(({ prefix, name }) => [prefix, name])).toEqual([
      ['k8s', 'K8s'],
      ['docker-hub', 'DockerHub'],
    ]);
    expect(resources[1]?.rule).toEqual({ ecrRepositoryPrefix: 'docker-hub', upstreamRegistryUrl: 'registry-1.docker.io', credentialArn: SECRET });
    expect(resources[1]?.template).not.toHaveProperty('repositoryPolicy');
    expect(resources[1]?.template).not.toHaveProperty('lifecyclePolicy');
  });

  it('creates nothing without pull-through cache entries, and refuses two prefixes that would share a resource name', () => {
    // Prepare
    const clashing = exampleConfigWith({
      pullThroughCache: [
        { prefix: 'ghcr-1', upstream: 'ghcr.io', mode: 'cache' },
        { prefix: 'ghcr1', upstream: 'ghcr.io', mode: 'cache' },
      ],
    });

    // Act
    const none = cacheResources(exampleConfigWith({ pullThroughCache: [] }));
    const act = () => cacheResources(clashing);

    // Assess
    expect(none).toEqual([]);
    expect(act).toThrow(/"ghcr-1" and "ghcr1" differ only in separators; rename one of them/);
  });

  it('sends Docker Hub as registry-1.docker.io, the only host CreatePullThroughCacheRule accepts for it', () => {
    // Prepare
    const config = exampleConfigWith({
      pullThroughCache: [
        { prefix: 'hub-a', upstream: 'docker.io', mode: 'cache', credentialArn: SECRET },
        { prefix: 'hub-b', upstream: 'index.docker.io', mode: 'cache', credentialArn: SECRET },
        { prefix: 'hub-c', upstream: 'registry-1.docker.io', mode: 'cache', credentialArn: SECRET },
      ],
    });

    // Act
    const urls = cacheResources(config).map(({ rule }) => rule.upstreamRegistryUrl);

    // Assess
    expect(urls).toEqual(['registry-1.docker.io', 'registry-1.docker.io', 'registry-1.docker.io']);
  });

  it('refuses a private ECR upstream of another account (it needs a customRoleArn) and accepts one of the same account', () => {
    // Prepare
    const otherAccount = exampleConfigWith({ pullThroughCache: [{ prefix: 'shared', upstream: '444455556666.dkr.ecr.eu-west-1.amazonaws.com', mode: 'cache' }] });
    const sameAccount = exampleConfigWith({ pullThroughCache: [{ prefix: 'mirror', upstream: '111122223333.dkr.ecr.eu-west-1.amazonaws.com', mode: 'cache' }] });

    // Act
    const act = () => cacheResources(otherAccount);
    const same = cacheResources(sameAccount);

    // Assess
    expect(act).toThrow(/pullThroughCache "shared": the upstream 444455556666\.dkr\.ecr\.eu-west-1\.amazonaws\.com is a private ECR registry of another account \(444455556666\).*customRoleArn/);
    expect(same.map(({ rule }) => rule.upstreamRegistryUrl)).toEqual(['111122223333.dkr.ecr.eu-west-1.amazonaws.com']);
  });
});

describe('templateResources', () => {
  it('renders each repositoryTemplates entry with core renderer, in Pulumi argument names', () => {
    // Prepare
    const config = exampleConfigWith({
      repositoryTemplates: [{ prefix: 'mirror/eu', appliedFor: ['REPLICATION', 'CREATE_ON_PUSH'], repositorySettings: { scanOnPush: true, tagMutability: 'IMMUTABLE' } }],
    });

    // Act
    const [resources] = templateResources(config);

    // Assess
    expect(resources).toEqual({
      prefix: 'mirror/eu',
      name: 'MirrorEu',
      template: {
        prefix: 'mirror/eu',
        appliedFors: ['REPLICATION', 'CREATE_ON_PUSH'],
        description: 'Dockmaster: repositories created by replication or on push under mirror/eu/',
        imageTagMutability: 'IMMUTABLE',
      },
    });
  });

  it('refuses two template prefixes that share a logical name', () => {
    // Prepare
    const config = exampleConfigWith({ repositoryTemplates: [{ prefix: 'team-a', appliedFor: ['CREATE_ON_PUSH'] }, { prefix: 'team/a', appliedFor: ['CREATE_ON_PUSH'] }] });

    // Act
    const act = () => templateResources(config);

    // Assess
    expect(act).toThrow('The repositoryTemplates prefixes "team-a" and "team/a" differ only in separators');
  });
});
