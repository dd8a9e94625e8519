import { randomUUID } from 'node:crypto';
import {
  DescribeImageScanFindingsCommand,
  type DescribeImageScanFindingsCommandInput,
  DescribeImagesCommand,
  type DescribeImagesCommandInput,
  DescribeRepositoriesCommand,
  type DescribeRepositoriesCommandInput,
  ECRClient,
  ImageNotFoundException,
  RepositoryNotFoundException,
  ScanNotFoundException,
} from '@aws-sdk/client-ecr';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import type { DockmasterConfig } from '@dockmaster/core/config';
import { beforeEach, describe, expect, it } from 'vitest';
import { useWorkerDynamoDB } from '../local-dynamodb.js';
import { createHandler, emittedEvents } from './harness.js';
import { basicScanEvent, exampleConfig, FindingsServer } from './support.js';

const ecrMock = mockClient(ECRClient);
const eventBridgeMock = mockClient(EventBridgeClient);
const db = useWorkerDynamoDB('dockmaster-idempotency');

const T0 = Date.parse('2026-06-01T00:00:00Z');
const HOUR = 60 * 60 * 1000;
const at = (hours: number): Date => new Date(T0 + hours * HOUR);

/*
 * Routes in the example config: prod/payments/** -> payments, ** -> platform; cache prefix k8s. The tests
 * narrow the catch-all route away so that an unrouted repository exists.
 */
const config: DockmasterConfig = (() => {
  const example = exampleConfig({ extra: '' });
  const scanAlerts = example.scanAlerts;
  if (!scanAlerts) throw new Error('the example config has no scanAlerts');
  return { ...example, scanAlerts: { ...scanAlerts, routes: scanAlerts.routes.filter((route) => route.team === 'payments'), watchdog: { silentAfterHours: 24 } } };
})();

type ScanRecord = { status: string; completedAt?: Date };

/**
 * ECR as the watchdog sees it: repositories (two pages), their images' push times (two pages each), and
 * what DescribeImageScanFindings says about each image (ScanNotFoundException until a scan is recorded).
 */
class FakeRegistry {
  readonly pushes = new Map<string, { digest: string; pushedAt: Date }[]>();
  readonly #scans = new Map<string, ScanRecord>();

  /** Pushes a new image; returns its digest. */
  public push(repository: string, when: Date): string {
    const digest = `sha256:${randomUUID().replace(/-/g, '').padEnd(64, '0')}`;
    this.pushes.set(repository, [...(this.pushes.get(repository) ?? []), { digest, pushedAt: when }]);
    return digest;
  }

  /** ECR's scan record of the image, as DescribeImageScanFindings reports it. */
  public scanned(digest: string, record: ScanRecord): void {
    this.#scans.set(digest, record);
  }

  public install(): void {
    ecrMock.on(DescribeRepositoriesCommand).callsFake((input: DescribeRepositoriesCommandInput) => {
      const names = [...this.pushes.keys()];
      const half = Math.ceil(names.length / 2);
      const page = input.nextToken ? names.slice(half) : names.slice(0, half);
      return { repositories: page.map((repositoryName) => ({ repositoryName })), ...(input.nextToken ? {} : { nextToken: 'repositories-2' }) };
    });
    ecrMock.on(DescribeImagesCommand).callsFake((input: DescribeImagesCommandInput) => {
      const pushes = this.pushes.get(input.repositoryName ?? '');
      if (!pushes) throw new RepositoryNotFoundException({ message: 'The repository does not exist', $metadata: {} });
      const half = Math.ceil(pushes.length / 2);
      const page = input.nextToken ? pushes.slice(half) : pushes.slice(0, half);
      return {
        imageDetails: page.map(({ digest, pushedAt }) => ({ imageDigest: digest, imagePushedAt: pushedAt })),
        ...(input.nextToken ? {} : { nextToken: 'images-2' }),
      };
    });
    ecrMock.on(DescribeImageScanFindingsCommand).callsFake((input: DescribeImageScanFindingsCommandInput) => {
      const digest = input.imageId?.imageDigest ?? '';
      const known = [...this.pushes.values()].some((images) => images.some((image) => image.digest === digest));
      if (!known) throw new ImageNotFoundException({ message: `The image with imageId ${digest} does not exist`, $metadata: {} });
      const record = this.#scans.get(digest);
      if (!record) throw new ScanNotFoundException({ message: 'Image scan does not exist for the image', $metadata: {} });
      return {
        imageScanStatus: { status: record.status },
        imageScanFindings: { ...(record.completedAt ? { imageScanCompletedAt: record.completedAt } : {}), findings: [], findingSeverityCounts: {} },
      };
    });
  }
}

let registry: FakeRegistry;
let stateTable: string;

const watchdogAt = async (hours: number, message: unknown = { kind: 'watchdog' }, withConfig = config) => {
  const { deliver } = createHandler({ db, stateTable, config: withConfig, now: at(hours) });
  return deliver(message);
};

const silentReports = () => emittedEvents(eventBridgeMock).filter((event) => event.DetailType === 'Scanning Silent');

beforeEach(async () => {
  ecrMock.reset();
  eventBridgeMock.reset();
  eventBridgeMock.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: randomUUID() }] });
  // A fresh state table per test: the watchdog's memory starts empty.
  stateTable = await db.dynamo.createIdempotencyTable(`dockmaster-state-${randomUUID()}`);
  new FindingsServer().install(ecrMock);
  // After the findings server: the registry answers DescribeImageScanFindings for the images it holds.
  registry = new FakeRegistry();
  registry.install();
});

describe('scan-alert watchdog', () => {
  it('reports a watched repository with pushes but no scan result for silentAfterHours, with team, push and scan times', async () => {
    // Prepare: the watchdog starts watching at T0; images pushed before it are not held against the scanner
    registry.push('prod/payments/api', at(-100));
    await watchdogAt(0);
    registry.push('prod/payments/api', at(1));
    registry.push('prod/payments/api', at(20));

    // Act
    const response = await watchdogAt(26);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    const reports = silentReports();
    expect(reports).toHaveLength(1);
    expect(reports[0]?.Detail).toMatchObject({
      team: 'payments',
      repository: 'prod/payments/api',
      lastPushAt: at(20).toISOString(),
      firstUnscannedPushAt: at(1).toISOString(),
      lastScanAt: null,
      silentAfterHours: 24,
      silentForHours: 25,
    });
    expect(reports[0]?.Detail.message.subject).toBe('[SCANNING SILENT] prod/payments/api — pushed 25 h ago, no scan result since');
  });

  it('does not report a repository whose pushes were scanned, nor one whose push is younger than silentAfterHours', async () => {
    // Prepare
    await watchdogAt(0);
    registry.push('prod/payments/api', at(1));
    registry.push('prod/payments/worker', at(10));
    const scanned = basicScanEvent({ digest: `sha256:${'a'.repeat(64)}`, repository: 'prod/payments/api', time: at(1.5).toISOString() });
    const { deliver } = createHandler({ db, stateTable, config, now: at(2) });
    await deliver(scanned);
    eventBridgeMock.resetHistory();

    // Act
    await watchdogAt(30);

    // Assess
    expect(silentReports()).toEqual([]);
  });

  it('reports a silent period only once, and again after a scan result ends it and scanning goes quiet again', async () => {
    // Prepare
    await watchdogAt(0);
    registry.push('prod/payments/api', at(1));

    // Act
    await watchdogAt(26);
    registry.push('prod/payments/api', at(27));
    await watchdogAt(30);
    await watchdogAt(50);
    const scan = basicScanEvent({ digest: `sha256:${'b'.repeat(64)}`, time: at(51).toISOString() });
    await createHandler({ db, stateTable, config, now: at(51) }).deliver(scan);
    registry.push('prod/payments/api', at(52));
    await watchdogAt(60);
    await watchdogAt(77);

    // Assess
    expect(silentReports().map((event) => [event.Detail['firstUnscannedPushAt'], event.Detail['lastScanAt']])).toEqual([
      [at(1).toISOString(), null],
      [at(52).toISOString(), at(51).toISOString()],
    ]);
  });

  it('watches routed repositories and cache prefixes only', async () => {
    // Prepare
    for (const repository of ['prod/payments/api', 'k8s/pause', 'sandbox/tools']) registry.push(repository, at(-50));
    await watchdogAt(0);
    for (const repository of ['prod/payments/api', 'k8s/pause', 'sandbox/tools']) registry.push(repository, at(1));

    // Act
    await watchdogAt(48);

    // Assess
    expect(silentReports().map((event) => [event.Detail['repository'], event.Detail['team']])).toEqual([
      ['k8s/pause', null],
      ['prod/payments/api', 'payments'],
    ]);
    const described = ecrMock.commandCalls(DescribeImagesCommand).map((call) => call.args[0].input.repositoryName);
    expect(described).not.toContain('sandbox/tools');
  });

  it('does nothing when the configuration has no scanAlerts.watchdog section', async () => {
    // Prepare
    const withoutWatchdog = exampleConfig();
    registry.push('prod/payments/api', at(-100));
    await watchdogAt(0, { kind: 'watchdog' }, withoutWatchdog);
    registry.push('prod/payments/api', at(1));

    // Act
    const response = await watchdogAt(48, { kind: 'watchdog' }, withoutWatchdog);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(ecrMock.commandCalls(DescribeRepositoriesCommand)).toHaveLength(0);
    expect(silentReports()).toEqual([]);
  });

  it('runs from the watchdog rule\'s Scheduled Event, covering a repository created after the watchdog started', async () => {
    // Prepare
    await watchdogAt(0);
    registry.push('prod/payments/api', at(1));
    const scheduled = {
      version: '0',
      id: randomUUID(),
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: '111122223333',
      time: at(30).toISOString(),
      region: 'eu-central-1',
      resources: ['arn:aws:events:eu-central-1:111122223333:rule/dockmaster-scan-alert-watchdog'],
      detail: { kind: 'watchdog' },
    };

    // Act
    const response = await watchdogAt(30, scheduled);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(silentReports().map((event) => event.Detail['repository'])).toEqual(['prod/payments/api']);
  });

  it.each<[string, { status: string; hoursAfterPush?: number }]>([
    ['a clean basic scan (COMPLETE)', { status: 'COMPLETE', hoursAfterPush: 0.2 }],
    ['an enhanced scan (ACTIVE, no completion time)', { status: 'ACTIVE' }],
    ['a failed scan that completed after the push', { status: 'FAILED', hoursAfterPush: 0.1 }],
  ])('does not report a push ECR has %s for, although the scan reached no worker', async (_name, scan) => {
    // Prepare: routing only forwards alertable scans, so the worker never heard of this one
    await watchdogAt(0);
    const digest = registry.push('prod/payments/api', at(1));
    registry.scanned(digest, { status: scan.status, ...(scan.hoursAfterPush === undefined ? {} : { completedAt: at(1 + scan.hoursAfterPush) }) });

    // Act
    const response = await watchdogAt(26);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(silentReports()).toEqual([]);
    expect(ecrMock.commandCalls(DescribeImageScanFindingsCommand).map((call) => call.args[0].input.imageId?.imageDigest)).toEqual([digest]);
  });

  it('holds a push against the scanner when ECR has no finished scan for it, and records the scans it finds on the way', async () => {
    // Prepare: the first push was scanned clean (silently), the second only started scanning, the third never
    await watchdogAt(0);
    registry.scanned(registry.push('prod/payments/api', at(1)), { status: 'COMPLETE', completedAt: at(1.5) });
    registry.scanned(registry.push('prod/payments/api', at(2)), { status: 'IN_PROGRESS' });
    registry.push('prod/payments/api', at(3));

    // Act
    await watchdogAt(30);
    await watchdogAt(31);

    // Assess: reported once, the silence starting with the second push, after the recorded clean scan
    expect(silentReports().map((event) => event.Detail)).toEqual([
      expect.objectContaining({ repository: 'prod/payments/api', firstUnscannedPushAt: at(2).toISOString(), lastScanAt: at(1.5).toISOString(), silentForHours: 28 }),
    ]);
  });

  it('does not ask ECR again about an image whose scan it confirmed: the next run starts after that scan', async () => {
    // Prepare
    await watchdogAt(0);
    const digest = registry.push('prod/payments/api', at(1));
    registry.scanned(digest, { status: 'COMPLETE', completedAt: at(1.2) });
    await watchdogAt(26);
    ecrMock.resetHistory();

    // Act
    await watchdogAt(27);

    // Assess
    expect(ecrMock.commandCalls(DescribeImageScanFindingsCommand)).toEqual([]);
    expect(silentReports()).toEqual([]);
  });
});
