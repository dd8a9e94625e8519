import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AWS_SAMPLES_DIRECTORY, awsSampleEvent } from '../testing/index.js';
import { compileEventPattern, matchesEventPattern } from './event-pattern.js';

type Event = Record<string, unknown> & { source: string; 'detail-type': string; detail: Record<string, unknown> };

const load = (name: string): Event => awsSampleEvent(name) as Event;

/** EventBridge envelopes among the fixtures (the CloudTrail records and the invalid-JSON AWS sample are not). */
const envelopeFixtures = readdirSync(AWS_SAMPLES_DIRECTORY)
  .filter((name) => name.endsWith('.json') && name !== 'ecr-pull-through-cache-action.json' && !name.startsWith('cloudtrail-record'))
  .sort();

/** A CloudTrail record as EventBridge delivers it: the record is the `detail` of this envelope. */
const cloudTrailEvent = (): Event => ({
  version: '0',
  id: 'a1b2c3d4-0000-0000-0000-000000000000',
  'detail-type': 'AWS API Call via CloudTrail',
  source: 'aws.ecr',
  account: '123456789012',
  time: '2018-07-11T22:17:43Z',
  region: 'us-east-2',
  resources: [],
  detail: load('cloudtrail-record-ecr-createrepository.json'),
});

describe('patterns against the AWS sample events', () => {
  it('matches a successful push and nothing else among the image actions', () => {
    // Prepare
    const isPush = compileEventPattern({
      source: ['aws.ecr'],
      'detail-type': ['ECR Image Action'],
      detail: { 'action-type': ['PUSH'], result: ['SUCCESS'] },
    });

    // Act
    const results = ['ecr-image-action-push-success.json', 'ecr-image-action-delete.json', 'ecr-image-action-archive.json', 'ecr-referrer-action-restore.json'].map(
      (name) => isPush(load(name)),
    );

    // Assess
    expect(results).toEqual([true, false, false, false]);
  });

  it('alerts on CRITICAL > 0 only when the key is present and positive', () => {
    // Prepare
    const hasCritical = compileEventPattern({ detail: { 'finding-severity-counts': { CRITICAL: [{ numeric: ['>', 0] }] } } });
    const basic = load('ecr-image-scan-basic-complete.json');
    const withoutCritical = structuredClone(basic);
    delete (withoutCritical.detail['finding-severity-counts'] as Record<string, unknown>)['CRITICAL'];

    // Act
    const basicMatches = hasCritical(basic);
    const absentMatches = hasCritical(withoutCritical);
    const inspectorMatches = hasCritical(load('inspector2-scan-ecr-initial.json'));
    const zeroMatches = hasCritical(load('inspector2-scan-ecr-initial.inspector-docs.json'));

    // Assess
    expect([basicMatches, absentMatches, inspectorMatches, zeroMatches]).toEqual([true, false, true, false]);
  });

  it('tells an absent severity key from a present one with exists', () => {
    // Prepare
    const noCriticalKey = compileEventPattern({ detail: { 'finding-severity-counts': { CRITICAL: [{ exists: false }] } } });
    const basic = load('ecr-image-scan-basic-complete.json');

    // Act
    const withKey = noCriticalKey(basic);
    const zeroKey = noCriticalKey(load('inspector2-scan-ecr-initial.inspector-docs.json'));
    const lowOnly = noCriticalKey({ ...basic, detail: { ...basic.detail, 'finding-severity-counts': { LOW: 1 } } });

    // Assess
    expect([withKey, zeroKey, lowOnly]).toEqual([false, false, true]);
  });

  it('matches fields of one element of an array of objects, never fields spread over two elements', () => {
    // Prepare
    const event = load('ecr-scan-resource-change-enhanced.json');
    const sameElement = { detail: { repositories: { 'repository-name': ['repository-2'], 'scan-frequency': ['CONTINUOUS_SCAN'] } } };
    const acrossElements = { detail: { repositories: { 'repository-name': ['repository-1'], 'scan-frequency': ['CONTINUOUS_SCAN'] } } };

    // Act
    const same = matchesEventPattern(sameElement, event);
    const across = matchesEventPattern(acrossElements, event);

    // Assess
    expect([same, across]).toEqual([true, false]);
  });

  it('matches failed replications by result', () => {
    // Prepare
    const failed = compileEventPattern({ source: ['aws.ecr'], 'detail-type': ['ECR Replication Action'], detail: { result: ['FAILED'] } });

    // Act
    const results = [load('ecr-replication-action-failed.json'), load('ecr-replication-action-success.json')].map(failed);

    // Assess
    expect(results).toEqual([true, false]);
  });

  it('reaches into Inspector finding resources (array of objects) and matches ARNs with wildcards', () => {
    // Prepare
    const event = load('inspector2-finding-ecr.inspector-docs.json');
    const pattern = {
      source: ['aws.inspector2'],
      resources: [{ wildcard: 'arn:aws:ecr:*:repository/inspector2/sha256:*' }],
      detail: {
        severity: ['MEDIUM', 'HIGH', 'CRITICAL'],
        status: ['ACTIVE'],
        resources: { details: { awsEcrContainerImage: { repositoryName: ['inspector2'], imageTags: [{ prefix: 'ubuntu' }] } } },
      },
    };
    const onlyCritical = { ...pattern, detail: { ...pattern.detail, severity: ['CRITICAL'] } };

    // Act
    const matched = matchesEventPattern(pattern, event);
    const criticalMatched = matchesEventPattern(onlyCritical, event);

    // Assess
    expect([matched, criticalMatched]).toEqual([true, false]);
  });

  it('reads a top-level field whose name contains dots as one field', () => {
    // Prepare
    const event = load('inspector2-finding-ecr.inspector-docs.json');

    // Act
    const matched = matchesEventPattern({ 'detail.resources.tags.testkey': ['allow'] }, event);
    const other = matchesEventPattern({ 'detail.resources.tags.testkey': ['deny'] }, event);

    // Assess
    expect([matched, other]).toEqual([true, false]);
  });

  it('matches a CloudTrail CreateRepository without error, by source IP range', () => {
    // Prepare
    const pattern = {
      source: ['aws.ecr'],
      'detail-type': ['AWS API Call via CloudTrail'],
      detail: { eventSource: ['ecr.amazonaws.com'], eventName: ['CreateRepository'], errorCode: [{ exists: false }], sourceIPAddress: [{ cidr: '203.0.113.0/24' }] },
    };
    const event = cloudTrailEvent();
    const failedEvent = { ...event, detail: { ...event.detail, errorCode: 'RepositoryAlreadyExistsException' } };

    // Act
    const matched = matchesEventPattern(pattern, event);
    const failedMatched = matchesEventPattern(pattern, failedEvent);

    // Assess
    expect([matched, failedMatched]).toEqual([true, false]);
  });

  it('matches the pull-through cache sample once its trailing comma is removed', () => {
    // Prepare
    const pattern = { 'detail-type': ['ECR Pull Through Cache Action'], detail: { 'sync-status': ['SUCCESS'], 'ecr-repository-prefix': [{ 'equals-ignore-case': 'DOCKER-HUB' }] } };

    // Act
    const matched = matchesEventPattern(pattern, load('ecr-pull-through-cache-action.normalized.json'));

    // Assess
    expect(matched).toBe(true);
  });

  it('selects each sample by source and detail-type, and only samples of that kind', () => {
    // Prepare
    const events = envelopeFixtures.map(load);
    const kindOf = (event: Event): string => `${event.source} / ${event['detail-type']}`;

    // Act
    const selections = events.map((event) => {
      const selects = compileEventPattern({ source: [event.source], 'detail-type': [event['detail-type']] });
      return events.filter(selects).map(kindOf);
    });

    // Assess
    expect(events.length).toBeGreaterThanOrEqual(14);
    selections.forEach((selected, index) => {
      const kind = kindOf(events[index] as Event);
      expect(selected.length).toBeGreaterThan(0);
      expect(new Set(selected)).toEqual(new Set([kind]));
    });
  });
});
