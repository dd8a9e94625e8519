import { DockmasterEventType } from '@dockmaster/core/constants';
import { AutomationId } from '@dockmaster/core/constants';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/local-stack.js';

/*
 * Cache health end to end on the local stack (docs/examples/dockmaster.example.yaml, prefix k8s): pulls of a tag
 * the upstream stand-in does not have make the local ECR emit a failed `ECR Pull Through Cache Action` per pull
 * (ECR-GUESS, docs/local-stack.md); the production cache-repository worker tells the image's owner once.
 */

let e2e: TestStack;

beforeAll(async () => {
  e2e = await startTestStack({ prefix: 'e2e-cache-health' });
});

afterAll(async () => {
  await e2e?.stop();
});

/** A cluster's pull of the manifest by tag through the registry front (anonymous, as the local front allows). */
const pullManifest = async (repository: string, tag: string): Promise<number> => {
  const response = await fetch(`http://${e2e.registryHost}/v2/${repository}/manifests/${tag}`, {
    headers: { Accept: 'application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.v2+json' },
  });
  await response.body?.cancel();
  return response.status;
};

describe('local stack: cache health', () => {
  it('tells the owner of k8s/coredns/coredns once about a tag missing upstream, however often it is pulled', async () => {
    // Act: three pulls, each a failed sync event of its own.
    const statuses = [await pullManifest('k8s/coredns/coredns', 'v0.0.0-missing'), await pullManifest('k8s/coredns/coredns', 'v0.0.0-missing')];
    await e2e.stack.drain(20_000);
    statuses.push(await pullManifest('k8s/coredns/coredns', 'v0.0.0-missing'));
    await e2e.stack.drain(20_000);

    // Assess
    expect(statuses).toEqual([404, 404, 404]);
    const failedSyncs = e2e.deliveries.filter((delivery) => delivery.bus === 'default' && delivery.event['detail-type'] === 'ECR Pull Through Cache Action');
    expect(failedSyncs).toHaveLength(3);
    expect(failedSyncs.every((delivery) => (delivery.event.detail as Record<string, unknown>)['sync-status'] === 'FAILED')).toBe(true);
    expect(failedSyncs.every((delivery) => delivery.automations.join() === AutomationId.CacheRepository)).toBe(true);
    const alerts = e2e.deliveries.filter((delivery) => delivery.bus === 'dockmaster' && delivery.event['detail-type'] === DockmasterEventType.CacheSyncFailed);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.teams).toEqual(['platform-dns']);
    expect(alerts[0]?.event.detail).toMatchObject({
      kind: 'image-not-found-upstream',
      repository: 'k8s/coredns/coredns',
      tag: 'v0.0.0-missing',
      failureCode: 'UPSTREAM_IMAGE_NOT_FOUND',
      seenBy: 'ecr-event',
      message: { subject: '[CACHE SYNC FAILED] k8s/coredns/coredns:v0.0.0-missing — not found upstream' },
    });
  });
});
