import { randomUUID } from 'node:crypto';
import { AutomationId, DockmasterEventType } from '@dockmaster/core/constants';
import type { EventBridgeEnvelope } from '@dockmaster/core/events/envelope';
import { CRITICAL_FINDINGS } from '@dockmaster/local/demo';
import type { InvocationReport } from '@dockmaster/local/runner';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { writeImages, type ImageSet } from './support/images.js';
import { startReliabilityStack, type ReliabilityStack } from './support/reliability-stack.js';
import { basicScanEvent, createRepositoryEvent, failedReplicationEvent, pullThroughCacheEvent, pushEvent, type SampleEvent } from './support/sample-events.js';

/*
 * EventBridge and SQS deliver at least once, sometimes one event as two messages. Each sample event that
 * reaches an automation is delivered three times through the local stack's bus, queues, runner and the
 * production workers; each must have exactly one effect, whether the copies come one after another, in one
 * batch, or in three invocations at the same time.
 */

const PAYMENTS = 'prod/payments/api';
const K8S = { prefix: 'k8s', upstream: 'registry.k8s.io' };
const COPIES = 3;

/** sequential: each copy after the previous one was processed; batched: all three queued, received as one batch; parallel: three invocations at once. */
const MODES = ['sequential', 'batched', 'parallel'] as const;
type Mode = (typeof MODES)[number];

/** One not-yet-warmed allow-listed tag per mode: a tag warmed once is "unchanged" for good, which would hide a second warm. */
const WARM_TARGETS: Record<Mode, { repository: string; tag: string }> = {
  sequential: { repository: 'k8s/pause', tag: '3.9' },
  batched: { repository: 'k8s/pause', tag: '3.10' },
  parallel: { repository: 'k8s/coredns/coredns', tag: 'v1.11.1' },
};

let h: ReliabilityStack;
let images: ImageSet;
let batchDeleteImage: MockInstance;
let setRepositoryPolicy: MockInstance;

const callsFor = (spy: MockInstance, repository: string): number =>
  spy.mock.calls.filter(([input]) => (input as { repositoryName?: string }).repositoryName === repository).length;

const eventsOf = (detailType: string, match: (detail: Record<string, unknown>) => boolean): EventBridgeEnvelope[] =>
  h.dockmasterEvents().filter((event) => event['detail-type'] === detailType && match(event.detail as Record<string, unknown>));

/** Puts the event on the default bus (as AWS does) and checks that it reaches the automation. */
const publish = (event: SampleEvent, automation: AutomationId): void => {
  const delivery = h.stack.bus.publish(event);
  expect(delivery.automations).toEqual([automation]);
};

/**
 * Delivers three copies the way the mode says; afterwards every copy was processed or deduplicated. The first
 * invocations show that the copies met the worker as the mode says (one batch, or one invocation each).
 */
const deliverThrice = async (mode: Mode, automation: AutomationId, send: () => void): Promise<void> => {
  const reports: InvocationReport[] = [];
  if (mode === 'sequential') {
    for (let copy = 0; copy < COPIES; copy += 1) {
      send();
      reports.push(...(await h.run('batches')).reports);
    }
  } else {
    for (let copy = 0; copy < COPIES; copy += 1) send();
    const result = await h.run(mode === 'parallel' ? 'parallel' : 'batches');
    reports.push(...result.reports);
  }
  const first = reports.filter((report) => report.automation === automation).map((report) => report.records.length);
  const batchSize = h.stack.topology.automations.find((candidate) => candidate.id === automation)?.batch.size ?? 1;
  if (mode === 'sequential') expect(first.slice(0, COPIES)).toEqual([1, 1, 1]);
  if (mode === 'batched') expect(first[0]).toBe(Math.min(COPIES, batchSize));
  if (mode === 'parallel') expect(first.slice(0, COPIES)).toEqual([1, 1, 1]);
  expect(h.allQueuesEmpty()).toBe(true);
};

const tagsOf = async (repository: string): Promise<string[]> => {
  const listed = (await h.stack.ecr.listImages({ repositoryName: repository })) as { imageIds: { imageTag?: string }[] };
  return listed.imageIds.flatMap((id) => (id.imageTag === undefined ? [] : [id.imageTag])).sort();
};

beforeAll(async () => {
  h = await startReliabilityStack();
  images = await writeImages(['app', ...MODES.map((mode) => `scan-${mode}`)]);
  await h.stack.ecr.createRepository({ repositoryName: PAYMENTS });
  await images.push('app', h.registryHost, PAYMENTS, '1.4.2');
  h.discardQueued();
  batchDeleteImage = vi.spyOn(h.stack.ecr, 'batchDeleteImage');
  setRepositoryPolicy = vi.spyOn(h.stack.ecr, 'setRepositoryPolicy');
});

afterAll(async () => {
  vi.restoreAllMocks();
  await h?.stop();
  await images?.remove();
});

beforeEach(() => {
  batchDeleteImage.mockClear();
  setRepositoryPolicy.mockClear();
});

describe.each(MODES)('three deliveries of one event, %s: exactly one effect', (mode) => {
  it(`push of a forbidden tag into ${PAYMENTS} (ECR Image Action sample): one tag removal`, async () => {
    // Prepare: the forbidden tag exists; the push the setup made is not what is being delivered.
    await images.push('app', h.registryHost, PAYMENTS, 'latest');
    h.discardQueued();
    const event = pushEvent(h.origin, { repository: PAYMENTS, tag: 'latest', digest: images.digestOf('app') });

    // Act
    await deliverThrice(mode, AutomationId.TagPolicy, () => publish(event, AutomationId.TagPolicy));

    // Assess
    expect(callsFor(batchDeleteImage, PAYMENTS)).toBe(1);
    expect(eventsOf(DockmasterEventType.TagPolicyViolation, (detail) => detail['eventId'] === event.id)).toHaveLength(1);
    const tags = await tagsOf(PAYMENTS);
    expect(tags).not.toContain('latest');
    expect(tags).toContain('1.4.2');
  });

  it('CreateRepository of a k8s/ repository (CloudTrail sample): one policy write', async () => {
    // Prepare: the repository exists (created without an event: the delivered sample is the only one).
    const repository = `k8s/reliability/created-${mode}`;
    await h.stack.ecr.createRepositoryInternal(repository, { createdBy: 'pull-through-cache' });
    const event = createRepositoryEvent(h.origin, repository);

    // Act
    await deliverThrice(mode, AutomationId.CacheRepository, () => publish(event, AutomationId.CacheRepository));

    // Assess
    expect(callsFor(setRepositoryPolicy, repository)).toBe(1);
    expect(eventsOf(DockmasterEventType.CacheRepositoryConfigured, (detail) => detail['repository'] === repository)).toHaveLength(1);
    expect(h.stack.ecr.repositoryExists(repository)).toBe(true);
  });

  it('pull-through cache action for a k8s/ repository (ECR Pull Through Cache Action sample): one policy write', async () => {
    // Prepare
    const repository = `k8s/reliability/pulled-${mode}`;
    await h.stack.ecr.createRepositoryInternal(repository, { createdBy: 'pull-through-cache' });
    const event = pullThroughCacheEvent(h.origin, { ...K8S, repository });

    // Act
    await deliverThrice(mode, AutomationId.CacheRepository, () => publish(event, AutomationId.CacheRepository));

    // Assess
    expect(callsFor(setRepositoryPolicy, repository)).toBe(1);
    expect(eventsOf(DockmasterEventType.CacheRepositoryConfigured, (detail) => detail['repository'] === repository)).toHaveLength(1);
  });

  it(`CRITICAL basic scan of ${PAYMENTS} (ECR Image Scan sample): one alert to the owning team`, async () => {
    // Prepare: an image of its own (an image alerts once for good) with its findings recorded in ECR.
    const name = `scan-${mode}`;
    const digest = images.digestOf(name);
    const tag = `2.0.${MODES.indexOf(mode)}`;
    await images.push(name, h.registryHost, PAYMENTS, tag);
    h.discardQueued();
    const scannedAt = new Date().toISOString();
    h.stack.ecr.recordScanFindings(PAYMENTS, digest, {
      imageScanStatus: { ...CRITICAL_FINDINGS.imageScanStatus },
      imageScanFindings: { ...(structuredClone(CRITICAL_FINDINGS.imageScanFindings) as Record<string, unknown>), imageScanCompletedAt: scannedAt, vulnerabilitySourceUpdatedAt: scannedAt },
    });
    const event = basicScanEvent(h.origin, { repository: PAYMENTS, digest, tags: [tag], counts: { ...CRITICAL_FINDINGS.imageScanFindings.findingSeverityCounts } });

    // Act
    await deliverThrice(mode, AutomationId.ScanAlert, () => publish(event, AutomationId.ScanAlert));

    // Assess
    const alerts = h.stack.deliveredAlerts().filter((alert) => alert.detailType === DockmasterEventType.ScanAlert && alert.detail['digest'] === digest);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ team: 'payments', detail: { repository: PAYMENTS, severity: 'CRITICAL' } });
  });

  it('failed replication (ECR Replication Action FAILED sample): one report', async () => {
    // Prepare
    const event = failedReplicationEvent(h.origin, PAYMENTS);

    // Act
    await deliverThrice(mode, AutomationId.Replication, () => publish(event, AutomationId.Replication));

    // Assess
    const reports = eventsOf(DockmasterEventType.ReplicationFailed, (detail) => detail['eventId'] === event.id);
    expect(reports).toHaveLength(1);
    expect(reports[0]?.detail).toMatchObject({ repository: PAYMENTS, team: 'payments' });
  });

  it('warm request of an allow-listed tag: one warm', async () => {
    // Prepare: the prepopulate fan-out's message for one image and tag.
    const { repository, tag } = WARM_TARGETS[mode];
    const body = JSON.stringify({ kind: 'warm', id: `${randomUUID()}:${repository}:${tag}`, repository, tag });

    // Act
    await deliverThrice(mode, AutomationId.Prepopulate, () => {
      h.queue(AutomationId.Prepopulate).send({ body });
    });

    // Assess
    expect(eventsOf(DockmasterEventType.ImagePrepopulated, (detail) => detail['repository'] === repository && detail['tag'] === tag)).toHaveLength(1);
    expect(eventsOf(DockmasterEventType.ImagePrepopulationFailed, (detail) => detail['repository'] === repository)).toEqual([]);
    expect(await tagsOf(repository)).toContain(tag);
  });
});
