import { rm } from 'node:fs/promises';
import { CreateRepositoryCommand, DescribeRepositoriesCommand, GetRepositoryPolicyCommand, ListImagesCommand } from '@aws-sdk/client-ecr';
import { AutomationId, DockmasterEventType } from '@dockmaster/core/constants';
import { CRITICAL_FINDINGS, inspectImage, pushOciLayout, writeDemoImage } from '@dockmaster/local/demo';
import type { BusDelivery } from '@dockmaster/local/bus';
import type { ImageAction } from '@dockmaster/local/ecr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureWorkerLogs } from '../support/worker-logs.js';
import { startFaultsStack, type FaultsStack } from './faults-stack.js';

/*
 * Every automation under injected faults, on the local stack with real skopeo and SDK traffic: transient faults
 * are retried (SDK standard mode, registry Retry-After) and the work still ends right, exactly once; a permanent
 * fault is not retried and lands in the worker's DLQ with its reason. For every automation:
 * events in = effects done + messages in the DLQ, and nothing left queued or in flight.
 * Synchronised with waitForIdle/drain, never with sleeps.
 */

let harness: FaultsStack;
let registryHost: string;
let image: Awaited<ReturnType<typeof writeDemoImage>>;
const deliveries: BusDelivery[] = [];
const imageActions: ImageAction[] = [];

/** Events the default bus put into an automation's queue (the "events in"). */
const eventsIn = (automation: AutomationId): BusDelivery[] => deliveries.filter((delivery) => delivery.bus === 'default' && delivery.automations.includes(automation));
const dockmasterEvents = (detailType: string): BusDelivery[] => deliveries.filter((delivery) => delivery.bus === 'dockmaster' && delivery.event['detail-type'] === detailType);
const queueOf = (automation: AutomationId) => harness.stack.status().automations.find((status) => status.automation === automation);
const tagsOf = async (repositoryName: string): Promise<string[]> => {
  const listed = await harness.ecr.send(new ListImagesCommand({ repositoryName }));
  return (listed.imageIds ?? []).flatMap((id) => (id.imageTag === undefined ? [] : [id.imageTag])).sort();
};
const policyOf = async (repositoryName: string): Promise<string | undefined> => {
  try {
    return (await harness.ecr.send(new GetRepositoryPolicyCommand({ repositoryName }))).policyText;
  } catch (error) {
    if ((error as Error).name === 'RepositoryPolicyNotFoundException') return undefined;
    throw error;
  }
};

beforeAll(async () => {
  harness = await startFaultsStack();
  registryHost = new URL(harness.stack.urls.registry).host;
  harness.stack.bus.onDelivery((delivery) => void deliveries.push(delivery));
  harness.stack.ecr.onImageAction((action) => void imageActions.push(action));
  image = await writeDemoImage();
});

afterAll(async () => {
  await harness?.stop();
  if (image !== undefined) await rm(image.layoutDir, { recursive: true, force: true });
});

describe('permanent faults are not retried', () => {
  it('sends a first-pulled cache repository whose policy is denied to the cache-repository DLQ with the reason, setting no policy', async () => {
    // Prepare
    const before = eventsIn(AutomationId.CacheRepository).length;
    harness.stack.ecr.faults.inject({ operation: 'SetRepositoryPolicy', kind: 'AccessDeniedException', count: 1_000 });

    const logs = captureWorkerLogs();

    // Act: a cluster's first pull creates the repository.
    try {
      await inspectImage(registryHost, 'k8s/pause', '3.9');
      await harness.stack.drain(30_000);
    } finally {
      logs.restore();
    }

    // Assess
    const arrived = eventsIn(AutomationId.CacheRepository).length - before;
    const deadLetters = await harness.deadLetters(AutomationId.CacheRepository);
    const [pending] = harness.stack.ecr.faults.pending();
    harness.stack.ecr.faults.clear();
    expect(arrived).toBeGreaterThan(0);
    // Events in = effects done (none: the policy was denied) + messages in the DLQ.
    expect(deadLetters).toHaveLength(arrived);
    // Each event tried SetRepositoryPolicy once: no SDK retry, no SQS retry.
    expect(pending?.remaining).toBe(1_000 - arrived);
    expect(await policyOf('k8s/pause')).toBeUndefined();
    for (const letter of deadLetters) {
      expect(letter.MessageAttributes?.DockmasterFailureReason?.StringValue).toContain('AccessDenied');
      expect(letter.MessageAttributes?.DockmasterFailureReason?.StringValue).toContain('ecr:SetRepositoryPolicy');
      expect(letter.MessageAttributes?.DockmasterErrorCode?.StringValue).toBe('AccessDeniedException');
      expect(letter.MessageAttributes?.DockmasterAutomation?.StringValue).toBe('cache-repository');
      expect(Number.isNaN(Date.parse(letter.MessageAttributes?.DockmasterFailedAt?.StringValue ?? ''))).toBe(false);
      expect(JSON.parse(letter.Body ?? '{}')).toMatchObject({ source: 'aws.ecr' });
      expect(letter.Body).toContain('k8s/pause');
    }
    expect(queueOf(AutomationId.CacheRepository)).toMatchObject({ queue: { visible: 0, inFlight: 0 }, deadLetter: { visible: arrived } });
    // The worker says so once per dead-lettered record, and logs no other error.
    expect(logs.errors().map(({ level, message, service }) => ({ level, message, service }))).toEqual(
      Array.from({ length: arrived }, () => ({ level: 'ERROR', message: 'record failed permanently (AccessDeniedException): retrying cannot help', service: 'cache-repository' })),
    );
  });
});

describe('transient faults are retried and end right, exactly once', () => {
  it('removes a forbidden tag once although BatchDeleteImage was throttled twice', async () => {
    // Prepare
    await harness.ecr.send(new CreateRepositoryCommand({ repositoryName: 'prod/payments/api' }));
    harness.stack.ecr.faults.inject({ operation: 'BatchDeleteImage', kind: 'ThrottlingException', count: 2 });

    // Act
    await pushOciLayout(image.layoutDir, image.ref, registryHost, 'prod/payments/api', '1.4.2');
    await pushOciLayout(image.layoutDir, image.ref, registryHost, 'prod/payments/api', 'latest');
    await harness.stack.waitForIdle(30_000);

    // Assess: 2 pushes in = 1 tag kept compliant + 1 tag removed + 0 dead letters.
    const pushes = eventsIn(AutomationId.TagPolicy);
    const removals = imageActions.filter((action) => action.actionType === 'DELETE' && action.repository === 'prod/payments/api' && action.tag === 'latest');
    expect(pushes).toHaveLength(2);
    expect(await tagsOf('prod/payments/api')).toEqual(['1.4.2']);
    expect(removals).toHaveLength(1);
    expect(dockmasterEvents(DockmasterEventType.TagPolicyViolation)).toHaveLength(1);
    expect(harness.stack.ecr.faults.pending()).toEqual([]);
    expect(queueOf(AutomationId.TagPolicy)).toMatchObject({ queue: { visible: 0, inFlight: 0 }, deadLetter: { visible: 0 } });
  });

  it('alerts the owning team once for a critical scan although reading the findings was throttled and failed with a 500', async () => {
    // Prepare
    harness.stack.ecr.faults.inject({ operation: 'DescribeImageScanFindings', kind: 'ThrottlingException', count: 1 });
    harness.stack.ecr.faults.inject({ operation: 'DescribeImageScanFindings', kind: 'InternalFailure', count: 1 });

    // Act
    await harness.stack.scan('prod/payments/api:1.4.2', CRITICAL_FINDINGS);
    await harness.stack.waitForIdle(30_000);

    // Assess: 1 scan event in = 1 alert + 0 dead letters.
    expect(eventsIn(AutomationId.ScanAlert)).toHaveLength(1);
    expect(dockmasterEvents(DockmasterEventType.ScanAlert).filter((delivery) => delivery.teams.includes('payments'))).toHaveLength(1);
    expect(harness.stack.ecr.faults.pending()).toEqual([]);
    expect(queueOf(AutomationId.ScanAlert)).toMatchObject({ queue: { visible: 0, inFlight: 0 }, deadLetter: { visible: 0 } });
  });

  it('warms the allow-list after waiting out 429 Retry-After from the registry, and configures the new cache repository through 5xx and a timeout', async () => {
    // Prepare: injected over the control API, as `dockmaster` would from another process.
    const deadLettersBefore = queueOf(AutomationId.CacheRepository)?.deadLetter.visible ?? 0;
    await harness.control.injectFault({ target: 'registry', kind: 'TooManyRequests', count: 2, retryAfterSeconds: 1 });
    await harness.control.injectFault({ operation: 'SetRepositoryPolicy', kind: 'ServerException', count: 1 });
    await harness.control.injectFault({ operation: 'PutImageScanningConfiguration', kind: 'Timeout', count: 1, holdMs: 50 });

    // Act
    harness.stack.trigger('prepopulate');
    await harness.stack.drain(60_000);

    // Assess
    const warmed = dockmasterEvents(DockmasterEventType.ImagePrepopulated).map((delivery) => {
      const detail = delivery.event.detail as { repository: string; tag: string };
      return `${detail.repository}:${detail.tag}`;
    });
    expect(await tagsOf('k8s/pause')).toEqual(['3.10', '3.9']);
    expect(await tagsOf('k8s/coredns/coredns')).toEqual(['v1.11.1']);
    const coredns = await harness.ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ['k8s/coredns/coredns'] }));
    expect(coredns.repositories?.[0]?.imageScanningConfiguration?.scanOnPush).toBe(true);
    expect(await policyOf('k8s/coredns/coredns')).toContain('arn:aws:iam::444455556666:root');
    expect((await harness.control.faults()).pending).toEqual([]);
    // Warm messages in = images prepopulated (each once, each in the cache) + 0 failures + 0 dead letters.
    expect(warmed).toEqual(expect.arrayContaining(['k8s/pause:3.9', 'k8s/pause:3.10', 'k8s/coredns/coredns:v1.11.1']));
    expect(new Set(warmed).size).toBe(warmed.length);
    for (const reference of warmed) {
      const [repository = '', tag = ''] = reference.split(':');
      expect(await tagsOf(repository)).toContain(tag);
    }
    expect(dockmasterEvents(DockmasterEventType.ImagePrepopulationFailed)).toEqual([]);
    expect(queueOf(AutomationId.Prepopulate)).toMatchObject({ queue: { visible: 0, inFlight: 0 }, deadLetter: { visible: 0 } });
    expect(queueOf(AutomationId.CacheRepository)).toMatchObject({ queue: { visible: 0, inFlight: 0 }, deadLetter: { visible: deadLettersBefore } });
  });
});
