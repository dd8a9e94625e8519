import { describe, expect, it } from 'vitest';
import { awsSampleEvent } from '../testing/index.js';
import { AwsDetailType, ECR_CLOUDTRAIL_EVENT_SOURCE, EcrActionResult, EcrActionType, EcrStorageClass, EventSource, InspectorFindingStatus, ScanStatus } from './vocabulary.js';

type Sample = { source: string; 'detail-type': string; detail: Record<string, unknown> };

const awsSample = (name: string): Sample => awsSampleEvent(name) as Sample;

/*
 * Every detail type against a real AWS sample where one is stored; the others against the wire format AWS
 * documents (literal strings on purpose: this test is where the vocabulary meets the wire). `satisfies` makes a
 * new detail type fail to compile until it is listed here.
 */
const WIRE_FORMAT = {
  EcrImageAction: { sample: 'ecr-image-action-push-success.json', source: 'aws.ecr', detailType: 'ECR Image Action' },
  EcrImageScan: { sample: 'ecr-image-scan-basic-complete.json', source: 'aws.ecr', detailType: 'ECR Image Scan' },
  EcrPullThroughCacheAction: { sample: 'ecr-pull-through-cache-action.normalized.json', source: 'aws.ecr', detailType: 'ECR Pull Through Cache Action' },
  EcrReplicationAction: { sample: 'ecr-replication-action-failed.json', source: 'aws.ecr', detailType: 'ECR Replication Action' },
  ApiCallViaCloudTrail: { sample: undefined, source: 'aws.ecr', detailType: 'AWS API Call via CloudTrail' },
  ServiceEventViaCloudTrail: { sample: undefined, source: 'aws.ecr', detailType: 'AWS Service Event via CloudTrail' },
  Inspector2Scan: { sample: 'inspector2-scan-ecr-initial.json', source: 'aws.inspector2', detailType: 'Inspector2 Scan' },
  Inspector2Finding: { sample: 'inspector2-finding-ecr.json', source: 'aws.inspector2', detailType: 'Inspector2 Finding' },
  // Constructed from the documented EC2 coverage sample (see SOURCES.md): AWS publishes none for an ECR image.
  Inspector2Coverage: { sample: 'inspector2-coverage-ecr-image-inactive.CONSTRUCTED.json', source: 'aws.inspector2', detailType: 'Inspector2 Coverage' },
  ParameterStoreChange: { sample: undefined, source: 'aws.ssm', detailType: 'Parameter Store Change' },
  ScheduledEvent: { sample: '../../plan/fixtures/scheduled-event.json', source: 'aws.events', detailType: 'Scheduled Event' },
} satisfies Record<keyof typeof AwsDetailType, { sample: string | undefined; source: string; detailType: string }>;

describe('the event vocabulary', () => {
  it.each(Object.entries(WIRE_FORMAT))('%s is the detail type AWS sends', (key, expected) => {
    // Prepare
    const detailType = AwsDetailType[key as keyof typeof AwsDetailType];

    // Act
    const sample = expected.sample === undefined ? undefined : awsSample(expected.sample);

    // Assess
    expect(detailType).toBe(expected.detailType);
    expect(Object.values(EventSource)).toContain(expected.source);
    if (sample !== undefined) {
      expect(sample['detail-type']).toBe(detailType);
      expect(Object.values(EventSource)).toContain(sample.source);
      expect(sample.source).toBe(expected.source);
    }
  });

  it('names the detail values as the AWS samples carry them', () => {
    // Prepare
    const push = awsSample('ecr-image-action-push-success.json').detail;
    const deletion = awsSample('ecr-image-action-delete.json').detail;
    const replicated = awsSample('ecr-replication-action-success.json').detail;
    const failed = awsSample('ecr-replication-action-failed.json').detail;
    const basicScan = awsSample('ecr-image-scan-basic-complete.json').detail;
    const inspectorScan = awsSample('inspector2-scan-ecr-initial.json').detail;
    const finding = awsSample('inspector2-finding-ecr.json').detail;

    // Act
    const carried = [push['action-type'], deletion['action-type'], replicated['result'], failed['result'], basicScan['scan-status'], inspectorScan['scan-status'], finding['status']];

    // Assess
    expect(carried).toEqual([
      EcrActionType.Push,
      EcrActionType.Delete,
      EcrActionResult.Success,
      EcrActionResult.Failed,
      ScanStatus.Complete,
      ScanStatus.InitialScanComplete,
      InspectorFindingStatus.Active,
    ]);
  });

  it('names the storage-class action and classes as the archive and restore samples carry them', () => {
    // Prepare
    const archived = awsSample('ecr-image-action-archive.json').detail;
    const restored = awsSample('ecr-image-action-restore.json').detail;

    // Act
    const carried = [archived['action-type'], archived['target-storage-class'], restored['action-type'], restored['target-storage-class']];

    // Assess
    expect(carried).toEqual([EcrActionType.UpdateStorageClass, EcrStorageClass.Archive, EcrActionType.UpdateStorageClass, EcrStorageClass.Standard]);
  });

  it('names ECR as the CloudTrail event source', () => {
    // Prepare
    const record = awsSampleEvent('cloudtrail-record-ecr-createrepository.json') as { eventSource: string };

    // Act
    const eventSource = record.eventSource;

    // Assess
    expect(eventSource).toBe(ECR_CLOUDTRAIL_EVENT_SOURCE);
  });
});
