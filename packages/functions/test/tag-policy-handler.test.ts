import { createHash, randomUUID } from 'node:crypto';
import { parseConfigOrThrow } from '@dockmaster/core/config';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { BatchDeleteImageCommand, BatchGetImageCommand, DescribeImagesCommand, ECRClient, ImageNotFoundException } from '@aws-sdk/client-ecr';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { SSMClient } from '@aws-sdk/client-ssm';
import { RenderedMessageSchema } from '@dockmaster/core/notifications';
import { TagPolicyViolationDetailSchema } from '@dockmaster/core/tag-policy';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createEcrImages } from '../src/adapters/ecr-images.js';
import { createDockmasterBus } from '../src/adapters/dockmaster-bus.js';
import { createTagPolicyHandler } from '../src/handlers/tag-policy.js';
import { awsSampleEvent, ecrPushEvent, invokeWorker, sqsRecordFactory } from './factories.js';
import { putEventsEntries } from './put-events.js';
import { FakeEcr } from './fake-ecr.js';
import { recordingPausedQueue } from './kept-while-paused.js';
import { useWorkerDynamoDB } from './local-dynamodb.js';
import { silentTelemetry } from './telemetry.js';

const region = 'us-west-2';
const ecrMock = mockClient(ECRClient);
const eventBridgeMock = mockClient(EventBridgeClient);
const ssmMock = mockClient(SSMClient);
const fakeEcr = new FakeEcr();
const db = useWorkerDynamoDB('dockmaster-idempotency');

// The real AWS sample push is `my-repository-name:latest`; the first policy makes it a violation in enforce mode.
const CONFIG_YAML = `version: 1
registry: { accountId: "123456789012", region: us-west-2 }
tagPolicies:
  - name: no-latest
    repositories: ["my-repository-name"]
    mode: enforce
    forbiddenTags: ["latest"]
  - name: production
    repositories: ["prod/**"]
    mode: enforce
    forbiddenTags: ["latest"]
    allowedTagSchemes: [semver, git-sha]
    requiredLabels:
      org.opencontainers.image.revision: git-sha
  - name: sandbox
    repositories: ["sandbox/**"]
    mode: audit
    forbiddenTags: ["latest"]
scanAlerts:
  routes:
    - repositories: ["sandbox/**"]
      team: tools
teams:
  tools: { email: ["tools@acme.example"] }
`;
const PAUSED_YAML = `${CONFIG_YAML}automations:\n  tag-policy: { paused: true }\n`;

const revision = { 'org.opencontainers.image.revision': '0123456789abcdef0123456789abcdef01234567' };
const SAMPLE_DIGEST = 'sha256:7f5b2640fe6fb4f46592dfd3410c4a79dac4f89e4782432e0378abcd1234';

/** What ECR's tags name now (`repository:tag` -> digest), as DescribeImages answers the worker's re-read before a delete. */
const tagsInEcr = new Map<string, string>();

const createHandler = (yaml = CONFIG_YAML, pausedRecords = recordingPausedQueue()) => {
  const { logger, metrics } = silentTelemetry('tag-policy');
  const handler = createTagPolicyHandler({
    loadConfig: async () => parseConfigOrThrow(yaml, 'test'),
    persistenceStore: db.persistenceStore(),
    clock: () => new Date('2026-06-01T12:00:00Z'),
    logger,
    metrics,
    images: createEcrImages({ client: new ECRClient({ region }) }),
    bus: createDockmasterBus({ busName: 'dockmaster-test', client: new EventBridgeClient({ region }) }),
    pausedRecords,
  });
  return { handler, logger };
};


const deletes = () => ecrMock.commandCalls(BatchDeleteImageCommand).map((call) => call.args[0].input);

const violationEvents = () =>
  putEventsEntries(eventBridgeMock).map((entry) => ({ ...entry, Detail: TagPolicyViolationDetailSchema.parse(JSON.parse(entry.Detail ?? '')) }));

beforeAll(async () => {
  await fakeEcr.start();
});

afterAll(async () => {
  await fakeEcr.stop();
});

beforeEach(() => {
  ecrMock.reset();
  eventBridgeMock.reset();
  ssmMock.reset();
  fakeEcr.install(ecrMock);
  ecrMock.on(BatchDeleteImageCommand).callsFake((input: { imageIds: { imageTag: string }[] }) => ({ imageIds: input.imageIds, failures: [] }));
  // The real AWS sample push (my-repository-name:latest) still names its image unless a test says otherwise.
  tagsInEcr.clear();
  tagsInEcr.set('my-repository-name:latest', SAMPLE_DIGEST);
  ecrMock.on(DescribeImagesCommand).callsFake((input: { repositoryName: string; imageIds: { imageTag: string }[] }) => {
    const tag = input.imageIds[0]?.imageTag ?? '';
    const digest = tagsInEcr.get(`${input.repositoryName}:${tag}`);
    if (digest === undefined) throw new ImageNotFoundException({ message: `The image with imageId {imageTag:'${tag}'} does not exist`, $metadata: {} });
    return { imageDetails: [{ repositoryName: input.repositoryName, imageDigest: digest, imageTags: [tag] }] };
  });
  eventBridgeMock.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: randomUUID() }] });
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('tag-policy worker', () => {
  it('removes a forbidden tag in enforce mode (by tag only) and emits one violation event', async () => {
    // Prepare
    const { handler, logger } = createHandler();
    const warn = vi.spyOn(logger, 'warn');
    const sample = awsSampleEvent('ecr-image-action-push-success.json') as { id: string };

    // Act
    const response = await invokeWorker(handler, [sqsRecordFactory(sample)]);

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(deletes()).toEqual([{ repositoryName: 'my-repository-name', imageIds: [{ imageTag: 'latest' }] }]);
    const events = violationEvents();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      EventBusName: 'dockmaster-test',
      Source: 'dockmaster',
      DetailType: 'Tag Policy Violation',
      Detail: {
        repository: 'my-repository-name',
        tag: 'latest',
        digest: SAMPLE_DIGEST,
        policy: 'no-latest',
        mode: 'enforce',
        violations: [{ rule: 'forbidden-tag', message: expect.stringContaining('"latest"') }],
        action: 'removed-tag',
        eventId: sample.id,
        team: null,
      },
    });
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/^tag policy decision: violation: my-repository-name:latest violates tag policy "no-latest": .*removed the tag/), {
      decision: 'violation',
      repository: 'my-repository-name',
      tag: 'latest',
      digest: SAMPLE_DIGEST,
      policy: 'no-latest',
      mode: 'enforce',
      action: 'removed-tag',
      violations: [expect.objectContaining({ rule: 'forbidden-tag' })],
    });
  });

  it('puts the message the owning team reads on the violation: what was pushed, what was done, how to fix it', async () => {
    // Prepare
    const { handler } = createHandler();
    // A new event id: the sample's own was processed by the test above (idempotency).
    const sample = { ...(awsSampleEvent('ecr-image-action-push-success.json') as object), id: randomUUID() };

    // Act
    await invokeWorker(handler, [sqsRecordFactory(sample)]);

    // Assess
    const [entry] = putEventsEntries(eventBridgeMock);
    const message = RenderedMessageSchema.parse((JSON.parse(entry?.Detail ?? '{}') as { message?: unknown }).message);
    expect(message.subject).toBe('[TAG POLICY] my-repository-name:latest — violates "no-latest", tag removed');
    expect(message.body).toMatch(/^my-repository-name:latest violates tag policy "no-latest" \(enforce mode\)\.\nThe tag was removed/);
    expect(message.body).toContain('npx dockmaster check-tag --config dockmaster.yaml my-repository-name:latest');
  });

  it('changes nothing in audit mode but still emits the violation', async () => {
    // Prepare
    const { handler } = createHandler();
    const event = ecrPushEvent({ id: randomUUID(), repository: 'sandbox/tools', tag: 'latest' });

    // Act
    const response = await invokeWorker(handler, [sqsRecordFactory(event)]);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(deletes()).toEqual([]);
    expect(violationEvents().map((entry) => entry.Detail)).toEqual([
      expect.objectContaining({ policy: 'sandbox', mode: 'audit', action: 'none', team: 'tools' }),
    ]);
  });

  it('does nothing for a compliant tag with valid labels, and logs the decision in one line', async () => {
    // Prepare
    const { handler, logger } = createHandler();
    const info = vi.spyOn(logger, 'info');
    const digest = fakeEcr.addImage({ labels: revision });
    const event = ecrPushEvent({ id: randomUUID(), repository: 'prod/api', tag: '1.4.2', digest });

    // Act
    const response = await invokeWorker(handler, [sqsRecordFactory(event)]);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(ecrMock.commandCalls(BatchGetImageCommand)).toHaveLength(1);
    expect(deletes()).toEqual([]);
    expect(eventBridgeMock.commandCalls(PutEventsCommand)).toHaveLength(0);
    const decisions = info.mock.calls.filter(([message]) => String(message).startsWith('tag policy decision'));
    expect(decisions).toEqual([
      [
        `tag policy decision: compliant: prod/api:1.4.2 (${digest}) satisfies tag policy "production"`,
        { decision: 'compliant', repository: 'prod/api', tag: '1.4.2', digest, policy: 'production', mode: 'enforce', notes: [] },
      ],
    ]);
  });

  it('leaves a tag alone that names another image by now (a late event): no delete, no violation, "tag moved on" logged', async () => {
    // Prepare: image A (no labels) was pushed as 2.0.0; before its event is handled, B takes the tag.
    const { handler, logger } = createHandler();
    const info = vi.spyOn(logger, 'info');
    const imageA = fakeEcr.addImage({ labels: {} });
    const imageB = fakeEcr.addImage({ labels: revision });
    tagsInEcr.set('prod/api:2.0.0', imageB);
    const lateEvent = ecrPushEvent({ id: randomUUID(), repository: 'prod/api', tag: '2.0.0', digest: imageA });

    // Act
    const response = await invokeWorker(handler, [sqsRecordFactory(lateEvent)]);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(deletes()).toEqual([]);
    expect(violationEvents()).toEqual([]);
    expect(info).toHaveBeenCalledWith(expect.stringMatching(/^tag policy decision: tag moved on: prod\/api:2\.0\.0 now names sha256:\w+, not the judged image/), {
      decision: 'tag moved on',
      repository: 'prod/api',
      tag: '2.0.0',
      digest: imageA,
      currentDigest: imageB,
      policy: 'production',
      mode: 'enforce',
      violations: [expect.objectContaining({ rule: 'required-label' })],
    });
  });

  it('judges an index once, on every platform, and removes its tag when one platform lacks a label', async () => {
    // Prepare
    const { handler } = createHandler();
    const digest = fakeEcr.addIndex([
      { platform: 'linux/amd64', labels: revision },
      { platform: 'linux/arm64', labels: {} },
    ]);
    const event = ecrPushEvent({ id: randomUUID(), repository: 'prod/api', tag: '1.4.3', digest });
    tagsInEcr.set('prod/api:1.4.3', digest);

    // Act
    await invokeWorker(handler, [sqsRecordFactory(event)]);

    // Assess
    expect(deletes()).toEqual([{ repositoryName: 'prod/api', imageIds: [{ imageTag: '1.4.3' }] }]);
    expect(violationEvents()[0]?.Detail.violations).toEqual([
      { rule: 'required-label', message: expect.stringMatching(/^platform linux\/arm64: required label "org\.opencontainers\.image\.revision" is missing/) },
    ]);
  });

  it('skips untagged pushes (platform images of an index) without calling ECR', async () => {
    // Prepare
    const { handler } = createHandler();
    const event = ecrPushEvent({ id: randomUUID(), repository: 'prod/api', tag: null });

    // Act
    const response = await invokeWorker(handler, [sqsRecordFactory(event)]);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(ecrMock.calls()).toHaveLength(0);
    expect(eventBridgeMock.calls()).toHaveLength(0);
  });

  it('reports malformed records in batchItemFailures while the others succeed', async () => {
    // Prepare
    const { handler } = createHandler();
    const good = sqsRecordFactory(ecrPushEvent({ id: randomUUID() }));
    const notJson = sqsRecordFactory(null, { body: '{"version":"0",' });
    const wrongEvent = sqsRecordFactory(awsSampleEvent('ecr-image-scan-basic-complete.json'));

    // Act
    const response = await invokeWorker(handler, [notJson, good, wrongEvent]);

    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: notJson.messageId }, { itemIdentifier: wrongEvent.messageId }]);
    expect(deletes()).toHaveLength(1);
  });

  it('acts once when EventBridge delivers the same event twice, in separate invocations', async () => {
    // Prepare
    const { handler } = createHandler();
    const event = ecrPushEvent({ id: randomUUID() });

    // Act
    const first = await invokeWorker(handler, [sqsRecordFactory(event)]);
    const second = await invokeWorker(handler, [sqsRecordFactory(event)]);

    // Assess
    expect([first.batchItemFailures, second.batchItemFailures]).toEqual([[], []]);
    expect(deletes()).toHaveLength(1);
    expect(violationEvents()).toHaveLength(1);
    // The record lives in DynamoDB, keyed on event id + repository + tag + digest (not on the SQS messageId).
    const keyPayload = [event.id, event.detail['repository-name'], event.detail['image-tag'], event.detail['image-digest']];
    const id = `tag-policy#${createHash('md5').update(JSON.stringify(keyPayload)).digest('base64')}`;
    const stored = await db.dynamo.client.send(new GetItemCommand({ TableName: db.idempotencyTable, Key: { id: { S: id } } }));
    expect(stored.Item?.status?.S).toBe('COMPLETED');
  });

  it('acts once when both copies of an event arrive in the same batch', async () => {
    // Prepare
    const { handler } = createHandler();
    const event = ecrPushEvent({ id: randomUUID() });

    // Act
    const response = await invokeWorker(handler, [sqsRecordFactory(event), sqsRecordFactory(event)]);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(deletes()).toHaveLength(1);
  });

  it('control: without idempotency the same duplicate is acted on twice (so the tests above depend on it)', async () => {
    // Prepare
    // Powertools reads the switch when the worker builds its idempotency configuration, on the first batch.
    vi.stubEnv('POWERTOOLS_IDEMPOTENCY_DISABLED', 'true');
    const { handler } = createHandler();
    const event = ecrPushEvent({ id: randomUUID() });

    // Act
    await invokeWorker(handler, [sqsRecordFactory(event)]);
    await invokeWorker(handler, [sqsRecordFactory(event)]);
    vi.stubEnv('POWERTOOLS_IDEMPOTENCY_DISABLED', 'false');

    // Assess
    expect(deletes()).toHaveLength(2);
  });

  it('treats a tag that is already gone as removed (idempotent), reporting already-removed', async () => {
    // Prepare
    const { handler } = createHandler();
    ecrMock.on(BatchDeleteImageCommand).resolves({ imageIds: [], failures: [{ imageId: { imageTag: 'latest' }, failureCode: 'ImageNotFound' }] });

    // Act
    const response = await invokeWorker(handler, [sqsRecordFactory(ecrPushEvent({ id: randomUUID() }))]);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(violationEvents().map((entry) => entry.Detail.action)).toEqual(['already-removed']);
  });

  it('fails the record (for retry, then the DLQ) on any other delete failure, and can retry it later', async () => {
    // Prepare
    const { handler } = createHandler();
    ecrMock
      .on(BatchDeleteImageCommand)
      .resolvesOnce({ imageIds: [], failures: [{ imageId: { imageTag: 'latest' }, failureCode: 'KmsError', failureReason: 'key disabled' }] })
      .resolves({ imageIds: [{ imageTag: 'latest' }], failures: [] });
    const failing = sqsRecordFactory(ecrPushEvent({ id: randomUUID() }));
    const compliant = sqsRecordFactory(ecrPushEvent({ id: randomUUID(), repository: 'dev/api' }));

    // Act
    const first = await invokeWorker(handler, [failing, compliant]);
    const retry = await invokeWorker(handler, [sqsRecordFactory(JSON.parse(failing.body))]);

    // Assess
    expect(first.batchItemFailures).toEqual([{ itemIdentifier: failing.messageId }]);
    expect(retry.batchItemFailures).toEqual([]);
    expect(deletes()).toHaveLength(2);
    expect(violationEvents()).toHaveLength(1);
  });

  it('fails the record when the violation event is rejected by EventBridge', async () => {
    // Prepare
    const { handler } = createHandler();
    eventBridgeMock.on(PutEventsCommand).resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'boom' }] });
    const record = sqsRecordFactory(ecrPushEvent({ id: randomUUID(), repository: 'sandbox/tools' }));
    const other = sqsRecordFactory(ecrPushEvent({ id: randomUUID(), tag: null }));

    // Act
    const response = await invokeWorker(handler, [record, other]);

    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: record.messageId }]);
  });

  it('takes no action while the automation is paused in the configuration, keeps the event for later, and logs why', async () => {
    // Prepare
    const pausedRecords = recordingPausedQueue();
    const { handler, logger } = createHandler(PAUSED_YAML, pausedRecords);
    const info = vi.spyOn(logger, 'info');
    const record = sqsRecordFactory(ecrPushEvent({ id: randomUUID() }));

    // Act
    const response = await invokeWorker(handler, [record]);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(pausedRecords.kept).toEqual([record.body]);
    expect(ecrMock.calls()).toHaveLength(0);
    expect(eventBridgeMock.calls()).toHaveLength(0);
    expect(info).toHaveBeenCalledWith(expect.stringContaining('"tag-policy" is paused'), expect.anything());
  });
});
