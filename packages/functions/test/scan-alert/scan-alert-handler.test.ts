import { randomUUID } from 'node:crypto';
import { BatchGetImageCommand, DescribeImageScanFindingsCommand, ECRClient } from '@aws-sdk/client-ecr';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createDynamoDbScanAlertStore } from '../../src/adapters/dynamodb-scan-alert-store.js';
import { sqsRecordFactory } from '../factories.js';
import { FakeEcr } from '../fake-ecr.js';
import { useWorkerDynamoDB } from '../local-dynamodb.js';
import { createHandler, emittedEvents } from './harness.js';
import {
  basicScanEvent,
  exampleConfig,
  findingsFixture,
  FindingsServer,
  inspectorCoverageEvent,
  inspectorFindingEvent,
  inspectorScanEvent,
  splitInTwoPages,
  withoutVulnerabilities,
} from './support.js';

const NOW = new Date('2026-06-01T12:00:00Z');
const SOURCE = 'https://github.com/acme/payments-api';
const REVISION = '0123456789abcdef0123456789abcdef01234567';

const ecrMock = mockClient(ECRClient);
const eventBridgeMock = mockClient(EventBridgeClient);
const fakeEcr = new FakeEcr();
let findingsServer: FindingsServer;
const db = useWorkerDynamoDB('dockmaster-idempotency');
let stateTable: string;

/** A fresh image (its own digest, so tests do not share state) with OCI source and revision labels. */
const newImage = (): string =>
  fakeEcr.addImage({ labels: { 'org.opencontainers.image.source': SOURCE, 'org.opencontainers.image.revision': REVISION, nonce: randomUUID() } });

const BASIC_PAGES = splitInTwoPages(findingsFixture('basic'));
const ENHANCED_PAGES = [findingsFixture('enhanced.page1'), findingsFixture('enhanced.page2')];

const handlerFor = (config = exampleConfig()) => createHandler({ db, stateTable, config, now: NOW });

const scanAlerts = () => emittedEvents(eventBridgeMock).filter((event) => event.DetailType === 'Scan Alert');
const resolvedAlerts = () => emittedEvents(eventBridgeMock).filter((event) => event.DetailType === 'Scan Alert Resolved');

beforeAll(async () => {
  await fakeEcr.start();
});

beforeEach(async () => {
  // A state table per test (same layout as the idempotency table, hash key `id`): every test pushes its images under
  // prod/payments/api:1.4.2, and the tag's last image is state a test must not inherit from the one before.
  stateTable = await db.dynamo.createIdempotencyTable(`dockmaster-state-${randomUUID()}`);
});

afterAll(async () => {
  await fakeEcr.stop();
});

beforeEach(() => {
  ecrMock.reset();
  eventBridgeMock.reset();
  fakeEcr.install(ecrMock);
  findingsServer = new FindingsServer();
  findingsServer.install(ecrMock);
  eventBridgeMock.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: randomUUID() }] });
});

describe('scan-alert worker: alerts', () => {
  it('alerts the routed team on a basic scan, with findings from two pages of DescribeImageScanFindings, labels and a readable message', async () => {
    // Prepare
    const { deliver } = handlerFor();
    const digest = newImage();
    findingsServer.set(digest, BASIC_PAGES);
    const event = basicScanEvent({ digest });

    // Act
    const response = await deliver(event);

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(findingsServer.requests.map((request) => request.nextToken)).toEqual([undefined, 'page-1']);
    const events = emittedEvents(eventBridgeMock);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      EventBusName: 'dockmaster-test',
      Source: 'dockmaster',
      DetailType: 'Scan Alert',
      Detail: {
        team: 'payments',
        repository: 'prod/payments/api',
        digest,
        tags: ['1.4.2'],
        severity: 'CRITICAL',
        counts: { CRITICAL: 2, HIGH: 1, MEDIUM: 1, LOW: 0, INFORMATIONAL: 0, UNDEFINED: 1 },
        source: SOURCE,
        revision: REVISION,
        sourceEventId: event['id'],
      },
    });
    const detail = events[0]?.Detail as { findings: { id: string; package: string }[]; dedupeKey: string; message: { subject: string; body: string } };
    expect(detail.findings.map((finding) => `${finding.id} ${finding.package}`)).toEqual(['CVE-2023-38545 curl', 'CVE-2023-44487 nghttp2']);
    expect(detail.message.subject).toBe('[CRITICAL] prod/payments/api:1.4.2 — 2 critical vulnerabilities');
    expect(detail.message.body).toContain(`Source:   ${SOURCE} @ ${REVISION}`);
    expect(detail.message.body).toContain(`dedupeKey: ${detail.dedupeKey}`);
  });

  it('alerts on an initial enhanced scan (Inspector2 Scan, repository given as ARN) from enhancedFindings over two pages', async () => {
    // Prepare
    const { deliver } = handlerFor();
    const digest = newImage();
    findingsServer.set(digest, ENHANCED_PAGES);

    // Act
    await deliver(inspectorScanEvent({ digest }));

    // Assess
    expect(findingsServer.requests).toHaveLength(2);
    const [alert] = scanAlerts();
    expect(alert?.Detail).toMatchObject({ team: 'payments', repository: 'prod/payments/api', digest });
    expect((alert?.Detail['findings'] as { id: string; package: string }[]).map((finding) => `${finding.id} ${finding.package}`)).toEqual([
      'CVE-2024-5535 libssl3',
      'CVE-2024-5535 openssl',
      'GHSA-wf5p-g6vw-rhxx axios',
    ]);
  });

  it('alerts on an ACTIVE Inspector2 Finding from the finding the event carries, without reading the scan findings', async () => {
    // Prepare
    const { deliver } = handlerFor();
    const digest = newImage();

    // Act
    await deliver(inspectorFindingEvent({ digest }));

    // Assess
    expect(ecrMock.commandCalls(DescribeImageScanFindingsCommand)).toHaveLength(0);
    const [alert] = scanAlerts();
    expect((alert?.Detail['findings'] as { id: string; package: string; fixedVersion: string }[]).map((finding) => `${finding.id} ${finding.package} ${finding.fixedVersion}`)).toEqual([
      'CVE-2024-6119 libssl3t64 0:3.0.13-0ubuntu3.4',
      'CVE-2024-6119 openssl 0:3.0.13-0ubuntu3.4',
    ]);
  });

  it('routes by the example config: the AWS sample repository goes to the catch-all team', async () => {
    // Prepare
    const { deliver } = handlerFor();
    const digest = newImage();
    findingsServer.set(digest, BASIC_PAGES);

    // Act
    await deliver(basicScanEvent({ digest, repository: 'my-repository-name', tags: [] }));

    // Assess
    expect(scanAlerts().map((event) => [event.Detail['team'], event.Detail['repository']])).toEqual([['platform', 'my-repository-name']]);
    expect(scanAlerts()[0]?.Detail.message.subject).toMatch(/^\[CRITICAL\] my-repository-name@sha256:[0-9a-f]{12} — 2 critical vulnerabilities$/);
  });
});

describe('scan-alert worker: in-use data', () => {
  it('puts the in-use data Inspector attached to the enhanced findings into the alert and its message', async () => {
    // Prepare: the SDK returns lastInUseAt as a Date
    const { deliver } = handlerFor();
    const digest = newImage();
    const withInUse = (page: Record<string, unknown>) => {
      const findings = page['imageScanFindings'] as { enhancedFindings: Record<string, unknown>[] };
      const enhancedFindings = findings.enhancedFindings.map((finding) => ({
        ...finding,
        resources: [{ type: 'AWS_ECR_CONTAINER_IMAGE', details: { awsEcrContainerImage: { inUseCount: 7, lastInUseAt: new Date('2026-06-01T11:00:00Z') } } }],
      }));
      return { ...page, imageScanFindings: { ...findings, enhancedFindings } };
    };
    findingsServer.set(digest, ENHANCED_PAGES.map(withInUse));

    // Act
    await deliver(inspectorScanEvent({ digest }));

    // Assess
    const [alert] = scanAlerts();
    expect(alert?.Detail).toMatchObject({ scanning: 'enhanced', urgency: 'high', inUse: { count: 7, lastInUseAt: '2026-06-01T11:00:00.000Z' } });
    expect(alert?.Detail.message.body).toContain('In use:   yes: 7 Amazon ECS tasks or Amazon EKS pods run it');
  });

  it('skips an image not in use when the route says skip, logs why, and alerts once the image runs', async () => {
    // Prepare
    const config = exampleConfig();
    const skipping = {
      ...config,
      scanAlerts: config.scanAlerts && {
        ...config.scanAlerts,
        routes: config.scanAlerts.routes.map((route) => (route.team === 'payments' ? { ...route, notInUse: 'skip' as const } : route)),
      },
    };
    const { deliver, logger } = handlerFor(skipping);
    const info = vi.spyOn(logger, 'info');
    const digest = newImage();

    // Act
    const response = await deliver(inspectorFindingEvent({ digest, inUseCount: 0, lastInUseAt: 'Mon May 04 09:30:00.000 UTC 2026' }));
    const skippedAlerts = scanAlerts().length;
    await deliver(inspectorFindingEvent({ digest, inUseCount: 2 }));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(skippedAlerts).toBe(0);
    expect(info).toHaveBeenCalledWith(
      expect.stringMatching(/^no scan alert: skipped 2 new findings on prod\/payments\/api@sha256:\S+: the image is not in use \(Inspector counts 0 Amazon ECS tasks and Amazon EKS pods running it; last in use 2026-05-04T09:30:00\.000Z\), and the route for prod\/payments\/api sets notInUse: skip$/),
      expect.objectContaining({ digest }),
    );
    expect(scanAlerts()).toHaveLength(1);
    expect(scanAlerts()[0]?.Detail).toMatchObject({ inUse: { count: 2 }, urgency: 'high' });
  });
});

describe('scan-alert worker: duplicates', () => {
  it('sends one alert when the same event is delivered 3 times in a row', async () => {
    // Prepare
    const { deliver } = handlerFor();
    const digest = newImage();
    findingsServer.set(digest, BASIC_PAGES);
    const event = basicScanEvent({ digest });

    // Act
    const responses = [await deliver(event), await deliver(event), await deliver(event)];

    // Assess
    expect(responses.flatMap((response) => response.batchItemFailures)).toEqual([]);
    expect(eventBridgeMock.commandCalls(PutEventsCommand)).toHaveLength(1);
    expect(scanAlerts()).toHaveLength(1);
    // Idempotency answered the copies: ECR was read for the first delivery only.
    expect(findingsServer.requests).toHaveLength(2);
  });

  it('sends one alert when the same event is delivered 3 times at once, and still one after the rejected copies are redelivered', async () => {
    // Prepare
    const { deliver } = handlerFor();
    const digest = newImage();
    findingsServer.set(digest, BASIC_PAGES);
    const event = basicScanEvent({ digest });

    // Act: copies that find the first one in progress fail (reported in batchItemFailures) and are redelivered
    const concurrent = await Promise.all([deliver(event), deliver(event), deliver(event)]);
    const failedCopies = concurrent.filter((response) => response.batchItemFailures.length > 0);
    const redelivered = await Promise.all(failedCopies.map(() => deliver(event)));

    // Assess
    expect(scanAlerts()).toHaveLength(1);
    expect(eventBridgeMock.commandCalls(PutEventsCommand)).toHaveLength(1);
    expect(redelivered.map((response) => response.batchItemFailures)).toEqual(failedCopies.map(() => []));
  });

  it('sends one alert for 3 copies of the event in one batch', async () => {
    // Prepare
    const { invoke } = handlerFor();
    const digest = newImage();
    findingsServer.set(digest, BASIC_PAGES);
    const event = basicScanEvent({ digest });

    // Act
    const response = await invoke([sqsRecordFactory(event), sqsRecordFactory(event), sqsRecordFactory(event)]);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(scanAlerts()).toHaveLength(1);
  });

  it('sends nothing for a re-scan (a new event) that reports the same findings', async () => {
    // Prepare
    const { deliver } = handlerFor();
    const digest = newImage();
    findingsServer.set(digest, BASIC_PAGES);
    await deliver(basicScanEvent({ digest }));
    eventBridgeMock.resetHistory();

    // Act
    const response = await deliver(basicScanEvent({ digest }));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(findingsServer.requests).toHaveLength(4);
    expect(eventBridgeMock.commandCalls(PutEventsCommand)).toHaveLength(0);
  });

  it('sends nothing for an Inspector2 Finding about a finding the scan already alerted', async () => {
    // Prepare
    const { deliver } = handlerFor();
    const digest = newImage();
    await deliver(inspectorFindingEvent({ digest }));
    eventBridgeMock.resetHistory();

    // Act: Inspector re-emits the unchanged finding under a new event id (DataBiosphere/azul#5625)
    await deliver(inspectorFindingEvent({ digest }));

    // Assess
    expect(eventBridgeMock.commandCalls(PutEventsCommand)).toHaveLength(0);
  });

  it('does not lose an alert whose PutEvents failed: the retry sends it, exactly once', async () => {
    // Prepare
    const { deliver } = handlerFor();
    const digest = newImage();
    findingsServer.set(digest, BASIC_PAGES);
    const event = basicScanEvent({ digest });
    eventBridgeMock
      .on(PutEventsCommand)
      .resolvesOnce({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'try again' }] })
      .resolves({ FailedEntryCount: 0, Entries: [{ EventId: randomUUID() }] });

    // Act
    const failed = await deliver(event);
    const retried = await deliver(event);
    const rescanned = await deliver(basicScanEvent({ digest }));

    // Assess
    // A batch whose only record failed is answered record by record, so SQS retries just that record.
    expect(failed.batchItemFailures).toHaveLength(1);
    expect(retried.batchItemFailures).toEqual([]);
    expect(rescanned.batchItemFailures).toEqual([]);
    // Two attempts to send the same alert; the second succeeded, and nothing after it.
    const sent = scanAlerts();
    expect(sent).toHaveLength(2);
    expect(sent[1]?.Detail['dedupeKey']).toBe(sent[0]?.Detail['dedupeKey']);
  });
});

describe('scan-alert worker: changes and resolution', () => {
  it('alerts again when a new finding appears, leading with what is new', async () => {
    // Prepare
    const { deliver } = handlerFor();
    const digest = newImage();
    findingsServer.set(digest, [findingsFixture('enhanced.page1')]);
    await deliver(inspectorScanEvent({ digest }));
    findingsServer.set(digest, ENHANCED_PAGES);

    // Act
    await deliver(basicScanEvent({ digest }));

    // Assess
    const alerts = scanAlerts();
    expect(alerts).toHaveLength(2);
    const second = alerts[1]?.Detail as { newFindings: { id: string }[]; findings: unknown[]; notes: string[]; message: { subject: string; body: string } };
    expect(second.newFindings.map((finding) => finding.id)).toEqual(['GHSA-wf5p-g6vw-rhxx']);
    expect(second.findings).toHaveLength(3);
    expect(second.notes).toContain('1 new finding since the last alert for this image');
    expect(second.message.subject).toBe('[CRITICAL] prod/payments/api:1.4.2 — 1 new critical vulnerability');
    expect(resolvedAlerts()).toHaveLength(0);
  });

  it('sends Scan Alert Resolved when a re-scan no longer reports a finding', async () => {
    // Prepare
    const { deliver } = handlerFor();
    const digest = newImage();
    findingsServer.set(digest, ENHANCED_PAGES);
    await deliver(inspectorScanEvent({ digest }));
    findingsServer.set(digest, withoutVulnerabilities(ENHANCED_PAGES, ['CVE-2024-5535']));
    eventBridgeMock.resetHistory();

    // Act
    await deliver(basicScanEvent({ digest }));

    // Assess
    expect(scanAlerts()).toHaveLength(0);
    const [resolved] = resolvedAlerts();
    expect(resolved?.Detail).toMatchObject({
      team: 'payments',
      digest,
      cause: 'rescan',
      resolvedFindings: [
        { id: 'CVE-2024-5535', package: 'libssl3' },
        { id: 'CVE-2024-5535', package: 'openssl' },
      ],
      remainingFindings: 1,
      allResolved: false,
    });
    expect(resolved?.Detail.message.subject).toBe('[RESOLVED] prod/payments/api:1.4.2 — 2 findings resolved');
  });

  it('resolves an alerted Inspector finding when Inspector closes it', async () => {
    // Prepare
    const { deliver } = handlerFor();
    const digest = newImage();
    await deliver(inspectorFindingEvent({ digest, status: 'ACTIVE' }));

    // Act
    await deliver(inspectorFindingEvent({ digest, status: 'CLOSED' }));

    // Assess
    expect(scanAlerts()).toHaveLength(1);
    const [resolved] = resolvedAlerts();
    expect(resolved?.Detail).toMatchObject({ cause: 'finding-closed', allResolved: true, remainingFindings: 0 });
    expect(resolved?.Detail.message.body).toContain('Inspector closed the finding.');
  });

  it('resolves as expired, not fixed, when Inspector stops scanning the image (Inspector2 Coverage INACTIVE)', async () => {
    // Prepare
    const { deliver } = handlerFor();
    const digest = newImage();
    await deliver(inspectorFindingEvent({ digest, status: 'ACTIVE' }));

    // Act
    const response = await deliver(inspectorCoverageEvent({ digest }));
    await deliver(inspectorFindingEvent({ digest, status: 'CLOSED' }));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(ecrMock.commandCalls(DescribeImageScanFindingsCommand)).toHaveLength(0);
    expect(scanAlerts()).toHaveLength(1);
    // One resolution for the coverage change; the CLOSED finding that follows has nothing left to resolve.
    const resolved = resolvedAlerts();
    expect(resolved).toHaveLength(1);
    expect(resolved[0]?.Detail).toMatchObject({ cause: 'image-inactive', resolution: 'expired', inactiveReason: 'SCAN_ELIGIBILITY_EXPIRED', allResolved: true });
    expect(resolved[0]?.Detail.message.subject).toMatch(/^\[EXPIRED\] prod\/payments\/api@sha256:\w{12} — all alerted findings expired$/);
  });

  it('resolves as fixed when Inspector closes a finding of an image it still scans', async () => {
    // Prepare
    const { deliver } = handlerFor();
    const digest = newImage();
    await deliver(inspectorFindingEvent({ digest, status: 'ACTIVE' }));

    // Act
    await deliver(inspectorFindingEvent({ digest, status: 'CLOSED' }));

    // Assess
    const [resolved] = resolvedAlerts();
    expect(resolved?.Detail).toMatchObject({ cause: 'finding-closed', resolution: 'fixed' });
    expect(resolved?.Detail.message.subject).toMatch(/^\[RESOLVED\] /);
  });

  it('does not count a coverage change as a scan result for the watchdog', async () => {
    // Prepare
    const { deliver } = handlerFor();
    const store = createDynamoDbScanAlertStore({ tableName: stateTable, client: db.dynamo.client });
    const digest = newImage();

    // Act
    await deliver(inspectorCoverageEvent({ digest, repository: 'prod/payments/worker' }));
    const afterCoverage = await store.getRepository('prod/payments/worker');
    await deliver(inspectorFindingEvent({ digest, repository: 'prod/payments/worker' }));
    const afterFinding = await store.getRepository('prod/payments/worker');

    // Assess
    expect(afterCoverage.lastScanAt).toBeUndefined();
    expect(afterFinding.lastScanAt).toBeInstanceOf(Date);
  });

  it('fails a coverage change that names no ECR image alone, sending nothing', async () => {
    // Prepare
    const { deliver } = handlerFor();
    const event = { ...inspectorCoverageEvent({ digest: newImage() }), resources: ['i-087d63509b8c97098'] };

    // Act
    const response = await deliver(event);

    // Assess: the rule never forwards one (test/topology); if one arrives anyway, it fails alone with a reason
    expect(response.batchItemFailures).toHaveLength(1);
    expect(eventBridgeMock.calls()).toHaveLength(0);
  });

  it('resolves as fixed what a newer image under the same tag no longer has (superseded)', async () => {
    // Prepare: the older image was alerted for CVE-2024-5535 (two packages) and GHSA-wf5p-g6vw-rhxx
    const { deliver } = handlerFor();
    const older = newImage();
    const newer = newImage();
    findingsServer.set(older, ENHANCED_PAGES);
    findingsServer.set(newer, withoutVulnerabilities(ENHANCED_PAGES, ['CVE-2024-5535']));
    await deliver(inspectorScanEvent({ digest: older, time: '2026-05-01T10:00:00Z' }));

    // Act
    await deliver(inspectorScanEvent({ digest: newer, time: '2026-05-02T10:00:00Z' }));

    // Assess
    const resolved = resolvedAlerts();
    expect(resolved).toHaveLength(1);
    expect(resolved[0]?.Detail).toMatchObject({
      digest: older,
      cause: 'superseded',
      resolution: 'fixed',
      supersededBy: { digest: newer, tag: '1.4.2' },
      resolvedFindings: [
        { id: 'CVE-2024-5535', package: 'libssl3' },
        { id: 'CVE-2024-5535', package: 'openssl' },
      ],
      remainingFindings: 1,
      allResolved: false,
    });
    expect(resolved[0]?.Detail.message.body).toContain(`A newer image with the tag 1.4.2 (${newer.slice(0, 19)}) no longer has them.`);
  });

  it('does not let an older scan result that arrives late resolve the newer image', async () => {
    // Prepare
    const { deliver } = handlerFor();
    const older = newImage();
    const newer = newImage();
    findingsServer.set(older, withoutVulnerabilities(ENHANCED_PAGES, ['CVE-2024-5535']));
    findingsServer.set(newer, ENHANCED_PAGES);
    await deliver(inspectorScanEvent({ digest: newer, time: '2026-05-02T10:00:00Z' }));

    // Act
    await deliver(inspectorScanEvent({ digest: older, time: '2026-05-01T10:00:00Z' }));

    // Assess
    expect(resolvedAlerts()).toHaveLength(0);
  });

  it('alerts again when a closed finding is re-opened', async () => {
    // Prepare
    const { deliver } = handlerFor();
    const digest = newImage();
    await deliver(inspectorFindingEvent({ digest, status: 'ACTIVE' }));
    await deliver(inspectorFindingEvent({ digest, status: 'CLOSED' }));

    // Act
    await deliver(inspectorFindingEvent({ digest, status: 'ACTIVE' }));

    // Assess
    expect(emittedEvents(eventBridgeMock).map((event) => event.DetailType)).toEqual(['Scan Alert', 'Scan Alert Resolved', 'Scan Alert']);
  });
});

describe('scan-alert worker: suppressions', () => {
  it('sends nothing when every alertable finding is suppressed', async () => {
    // Prepare
    const config = exampleConfig({
      scanAlertsExtra: [
        '    - cve: CVE-2023-44487',
        '      repositories: ["prod/**"]',
        '      reason: "not exposed: HTTP/2 terminates at the ingress"',
        '      expires: "2027-03-01"',
        '    - cve: CVE-2023-38545',
        '      repositories: ["prod/payments/**"]',
        '      package: curl',
        '      reason: "no SOCKS5 proxy is configured"',
        '      expires: "2026-12-31"',
        '',
      ].join('\n'),
    });
    const { deliver } = handlerFor(config);
    const digest = newImage();
    findingsServer.set(digest, BASIC_PAGES);

    // Act
    const response = await deliver(basicScanEvent({ digest }));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(eventBridgeMock.commandCalls(PutEventsCommand)).toHaveLength(0);
    // No labels are read for an alert that does not go out.
    expect(ecrMock.commandCalls(BatchGetImageCommand)).toHaveLength(0);
  });

  it('alerts, and says so, when the suppression covering a finding has expired', async () => {
    // Prepare
    const config = exampleConfig({
      scanAlertsExtra: [
        '    - cve: CVE-2023-44487',
        '      repositories: ["prod/**"]',
        '      reason: "accepted until the base image upgrade"',
        '      expires: "2026-05-31"',
        '',
      ].join('\n'),
    });
    const { deliver } = handlerFor(config);
    const digest = newImage();
    findingsServer.set(digest, BASIC_PAGES);

    // Act
    await deliver(basicScanEvent({ digest }));

    // Assess
    const [alert] = scanAlerts();
    expect(alert?.Detail['expiredSuppressions']).toEqual([
      { id: 'CVE-2023-44487', repositories: ['prod/**'], reason: 'accepted until the base image upgrade', expired: '2026-05-31' },
    ]);
    expect(alert?.Detail.message.body).toContain(
      'suppression of CVE-2023-44487 for prod/** expired after 2026-05-31 (reason was: accepted until the base image upgrade); it alerts again',
    );
  });
});

describe('scan-alert worker: bad input and switches', () => {
  it('fails only the record with a missing required field, naming the field', async () => {
    // Prepare
    const { invoke, logger } = handlerFor();
    const digest = newImage();
    findingsServer.set(digest, BASIC_PAGES);
    const good = sqsRecordFactory(basicScanEvent({ digest }));
    const broken = basicScanEvent({ digest: newImage() });
    const { 'image-digest': _removed, ...detailWithoutDigest } = broken['detail'] as Record<string, unknown>;
    const bad = sqsRecordFactory({ ...broken, detail: detailWithoutDigest });
    const unknownFields = sqsRecordFactory({ ...basicScanEvent({ digest }), 'detail.extra.key': 'ignored', extra: { nested: true } });
    const debug = vi.spyOn(logger, 'debug');

    // Act
    const response = await invoke([good, bad, unknownFields]);

    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: bad.messageId }]);
    expect(scanAlerts()).toHaveLength(1);
    expect(debug).toHaveBeenCalledWith(expect.stringContaining('detail.image-digest'));
  });

  it('takes no action while the automation is paused', async () => {
    // Prepare
    const { deliver, pausedRecords } = handlerFor(exampleConfig({ extra: 'automations:\n  scan-alert: { paused: true }\n' }));
    const digest = newImage();
    findingsServer.set(digest, BASIC_PAGES);

    // Act
    const response = await deliver(basicScanEvent({ digest }));

    // Assess: the scan is kept in the queue for after the resume
    expect(response.batchItemFailures).toEqual([]);
    expect(pausedRecords.kept.map((body) => (JSON.parse(body) as { detail: { 'image-digest': string } }).detail['image-digest'])).toEqual([digest]);
    expect(ecrMock.calls()).toHaveLength(0);
    expect(eventBridgeMock.calls()).toHaveLength(0);
  });

  it('skips a repository no route covers, without reading its findings', async () => {
    // Prepare
    const config = exampleConfig();
    const routed = { ...config, scanAlerts: config.scanAlerts && { ...config.scanAlerts, routes: config.scanAlerts.routes.filter((route) => route.team === 'payments') } };
    const { deliver } = handlerFor(routed);
    const digest = newImage();
    findingsServer.set(digest, BASIC_PAGES);

    // Act
    const response = await deliver(basicScanEvent({ digest, repository: 'sandbox/tools' }));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(findingsServer.requests).toHaveLength(0);
    expect(eventBridgeMock.calls()).toHaveLength(0);
  });
});

describe('scan-alert worker: size bounds', () => {
  it('delivers the alert of an image whose alert state is large: the outbox events get what the DynamoDB item leaves', async () => {
    // Prepare: 2,500 CRITICAL findings with long package names: the state (their keys) alone takes most of an item.
    const { deliver } = handlerFor();
    const digest = newImage();
    const count = 2500;
    findingsServer.set(digest, [
      {
        registryId: '111122223333',
        repositoryName: 'prod/payments/api',
        imageId: { imageDigest: digest, imageTag: '1.4.2' },
        imageScanStatus: { status: 'COMPLETE', description: 'The scan was completed successfully.' },
        imageScanFindings: {
          findings: Array.from({ length: count }, (_, index) => ({
            name: `CVE-2024-${String(10000 + index)}`,
            severity: 'CRITICAL',
            uri: `https://nvd.nist.gov/vuln/detail/CVE-2024-${String(10000 + index)}`,
            attributes: [
              { key: 'package_name', value: `vendored/${'deeply-nested-module-path/'.repeat(4)}package-${index}` },
              { key: 'package_version', value: '1.0.0' },
            ],
          })),
          findingSeverityCounts: { CRITICAL: count },
        },
      },
    ]);

    // Act
    const response = await deliver(basicScanEvent({ digest, counts: { CRITICAL: count } }));

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    const alerts = scanAlerts();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.Detail['severity']).toBe('CRITICAL');
    expect((alerts[0]?.Detail['findings'] as unknown[]).length).toBeGreaterThan(0);
    expect((alerts[0]?.Detail['omitted'] as Record<string, number>)['findings']).toBeGreaterThan(0);
  });
});
