import path from 'node:path';
import {
  DescribePullThroughCacheRulesCommand,
  DescribeRepositoriesCommand,
  GetLifecyclePolicyCommand,
  GetRepositoryPolicyCommand,
} from '@aws-sdk/client-ecr';
import { DockmasterEventType } from '@dockmaster/core/constants';
import { listWarmTargets, resolveTags } from '@dockmaster/core/prepopulate';
import { isImageIndex, RegistryClient } from '@dockmaster/registry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordRunningStack, runLocal } from './support/local-cli.js';
import { REPOSITORY_ROOT, startTestStack, type TestStack } from '../support/local-stack.js';

/*
 * Copy mode end to end on the local stack: a copy-mode prefix (docs/examples/copy-mode.yaml) whose stand-in
 * upstream has no cache in front of it. `dockmaster local trigger prepopulate` makes the production worker copy
 * the allow-list into the private registry through the ECR-compatible front, creating each repository with the
 * real AWS SDK against the local ECR; the cache-repository worker then configures it. Synchronised with drain().
 */

const CONFIG = path.join(REPOSITORY_ROOT, 'docs', 'examples', 'copy-mode.yaml');
const UPSTREAM = 'mcr.microsoft.com';
const PULL_ACTIONS = ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'];

let e2e: TestStack;

/** Per image path upstream: tag -> digest of what the stand-in serves for the tags the allow-list selects. */
let selectedUpstream: Record<string, Record<string, string>>;

const registryWrites = () =>
  e2e.deliveries.filter(
    (delivery) =>
      delivery.bus === 'default' &&
      (delivery.event['detail-type'] === 'ECR Image Action' || (delivery.event['detail-type'] === 'AWS API Call via CloudTrail' && (delivery.event.detail as { eventName?: string }).eventName === 'CreateRepository')),
  );

const copiedEvents = () => e2e.deliveries.filter((delivery) => delivery.bus === 'dockmaster' && delivery.event['detail-type'] === DockmasterEventType.ImagePrepopulated);

beforeAll(async () => {
  e2e = await startTestStack({ prefix: 'e2e-copy', configPath: CONFIG });
  // What the stand-in serves for the selected tags, read back from it: the digests the copies must keep.
  const upstream = new RegistryClient({ baseUrl: e2e.stack.urls.upstreams[UPSTREAM] ?? '' });
  const selected = await Promise.all(
    listWarmTargets(e2e.stack.config).map(async (target) => {
      const { tags } = resolveTags(target.selector, await upstream.listTags(target.image));
      const digests = await Promise.all(tags.map(async ({ tag }) => [tag, (await upstream.headManifest(target.image, tag))?.digest ?? ''] as const));
      return [target.image, Object.fromEntries(digests)] as const;
    }),
  );
  selectedUpstream = Object.fromEntries(selected);
  recordRunningStack(e2e.stateDir, e2e.stack, CONFIG);
});

afterAll(async () => {
  await e2e?.stop();
});

describe('local stack: copy mode', () => {
  it('has a stand-in upstream for the copy prefix and no pull-through cache rule for it', async () => {
    // Act
    const rules = await e2e.ecr.send(new DescribePullThroughCacheRulesCommand({}));

    // Assess
    expect(Object.keys(e2e.stack.urls.upstreams)).toEqual([UPSTREAM]);
    expect(rules.pullThroughCacheRules).toEqual([]);
    expect(await e2e.ecr.send(new DescribeRepositoriesCommand({}))).toMatchObject({ repositories: [] });
  });

  it('copies the allow-list into mcr/<image> with the upstream digests on `dockmaster local trigger prepopulate`', async () => {
    // Act
    const triggered = await runLocal(['trigger', 'prepopulate'], e2e.stateDir);
    await e2e.stack.drain(60_000);

    // Assess
    expect(triggered.code).toBe(0);
    expect(Object.keys(selectedUpstream['powershell'] ?? {}).sort()).toEqual(['7.4.0', '7.4.1', '7.4.2', '7.4.4']);
    expect(await e2e.digestsOf('mcr/dotnet/runtime')).toEqual(selectedUpstream['dotnet/runtime']);
    expect(await e2e.digestsOf('mcr/powershell')).toEqual(selectedUpstream['powershell']);
    // Whole images: the index and every child, pulled back through the registry front by digest.
    const front = new RegistryClient({ baseUrl: e2e.stack.urls.registry });
    const index = await front.getManifest('mcr/dotnet/runtime', '8.0');
    expect(isImageIndex(index.manifest) && index.manifest.manifests).toHaveLength(2);
    for (const child of isImageIndex(index.manifest) ? index.manifest.manifests : []) expect((await front.headManifest('mcr/dotnet/runtime', child.digest))?.digest).toBe(child.digest);
    expect(copiedEvents().map((delivery) => (delivery.event.detail as { mode?: string }).mode)).toEqual(['copy', 'copy', 'copy', 'copy', 'copy', 'copy']);
    expect(e2e.stack.log.recent().some((line) => line.includes('prepopulate mcr/dotnet/runtime:8.0') && line.includes('copied'))).toBe(true);
  });

  it('leaves each created repository configured by the cache-repository worker: settings, pull policy and lifecycle', async () => {
    // Act
    const [described, policy, lifecycle] = await Promise.all([
      e2e.ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ['mcr/dotnet/runtime', 'mcr/powershell'] })),
      e2e.ecr.send(new GetRepositoryPolicyCommand({ repositoryName: 'mcr/dotnet/runtime' })),
      e2e.ecr.send(new GetLifecyclePolicyCommand({ repositoryName: 'mcr/powershell' })),
    ]);

    // Assess
    expect(described.repositories?.map((repository) => [repository.repositoryName, repository.imageScanningConfiguration?.scanOnPush, repository.imageTagMutability])).toEqual([
      ['mcr/dotnet/runtime', true, 'MUTABLE'],
      ['mcr/powershell', true, 'MUTABLE'],
    ]);
    const statements = (JSON.parse(policy.policyText ?? '{}') as { Statement: { Sid: string; Principal: { AWS: string[] }; Action: string[] }[] }).Statement;
    expect(statements.map((statement) => [statement.Sid, statement.Principal.AWS, statement.Action.slice().sort()])).toEqual([
      ['DockmasterPullAccounts', ['arn:aws:iam::444455556666:root'], PULL_ACTIONS],
    ]);
    const rules = (JSON.parse(lifecycle.lifecyclePolicyText ?? '{}') as { rules: { selection: { tagStatus: string; countNumber: number } }[] }).rules;
    expect(rules.map((rule) => rule.selection)).toContainEqual(expect.objectContaining({ tagStatus: 'untagged', countNumber: 14 }));
    expect(e2e.stack.log.recent().some((line) => line.includes('cache-repository mcr/dotnet/runtime: configured'))).toBe(true);
  });

  it('writes nothing on a second run: no push, no repository, no copy reported', async () => {
    // Prepare
    const writesBefore = registryWrites().length;
    const copiesBefore = copiedEvents().length;

    // Act
    const triggered = await runLocal(['trigger', 'prepopulate'], e2e.stateDir);
    await e2e.stack.drain(60_000);

    // Assess
    expect(triggered.code).toBe(0);
    expect(writesBefore).toBeGreaterThan(0);
    expect(registryWrites()).toHaveLength(writesBefore);
    expect(copiedEvents()).toHaveLength(copiesBefore);
    expect(await e2e.digestsOf('mcr/dotnet/runtime')).toEqual(selectedUpstream['dotnet/runtime']);
  });
});
