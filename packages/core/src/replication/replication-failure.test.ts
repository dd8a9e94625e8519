import { describe, expect, it } from 'vitest';
import { DockmasterConfigSchema } from '../config/index.js';
import { ReplicationActionEventSchema } from '../events/cache.js';
import { awsSampleEvent } from '../testing/index.js';
import { describeReplicationFailure, ReplicationFailedDetailSchema } from './replication-failure.js';

const config = DockmasterConfigSchema.parse({
  version: 1,
  registry: { accountId: '123456789012', region: 'us-east-1' },
  scanAlerts: { routes: [{ repositories: ['prod/**'], team: 'payments' }] },
  teams: { payments: { email: ['oncall@acme.example'] } },
});

describe('describeReplicationFailure', () => {
  it('describes the real failed-replication sample with source, destination and advice', () => {
    // Prepare
    const event = ReplicationActionEventSchema.parse(awsSampleEvent('ecr-replication-action-failed.json'));

    // Act
    const detail = describeReplicationFailure(event, config);

    // Assess
    expect(ReplicationFailedDetailSchema.parse(detail)).toEqual(detail);
    expect(detail).toMatchObject({
      repository: event.detail['repository-name'],
      sourceAccount: event.detail['source-account'],
      sourceRegion: event.detail['source-region'],
      destinationAccount: event.account,
      destinationRegion: event.region,
      eventId: event.id,
      team: null,
    });
    expect(detail.advice).toContain('will not retry');
    expect(detail.advice).toContain(event.detail['source-region']);
  });

  it('routes the failure to the team that owns the repository', () => {
    // Prepare
    const raw = awsSampleEvent('ecr-replication-action-failed.json') as { detail: Record<string, unknown> };
    const event = ReplicationActionEventSchema.parse({ ...raw, detail: { ...raw.detail, 'repository-name': 'prod/payments/api' } });

    // Act
    const detail = describeReplicationFailure(event, config);

    // Assess
    expect(detail.team).toBe('payments');
    expect(detail.advice).toContain('prod/payments/api');
  });
});
