import { CloudTrailClient, DescribeTrailsCommand, GetEventSelectorsCommand, GetTrailStatusCommand } from '@aws-sdk/client-cloudtrail';
import { DescribeSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { cloudTrailWarning, copySecretKmsWarnings } from '../../infra/deploy-checks';
import { exampleConfigWith } from '../topology/helpers.js';

/* infra/deploy-checks.ts: the account prerequisites asked at deploy (unit tests of the adapters: mocked SDK). */

const TRAIL = 'arn:aws:cloudtrail:eu-central-1:111122223333:trail/management';
const cloudTrail = mockClient(CloudTrailClient);
const secrets = mockClient(SecretsManagerClient);

beforeEach(() => {
  cloudTrail.reset();
  secrets.reset();
});

describe('cloudTrailWarning', () => {
  it('is silent when a logging trail records management write events', async () => {
    // Prepare
    cloudTrail.on(DescribeTrailsCommand).resolves({ trailList: [{ TrailARN: TRAIL }] });
    cloudTrail.on(GetTrailStatusCommand).resolves({ IsLogging: true });
    cloudTrail.on(GetEventSelectorsCommand).resolves({ EventSelectors: [{ IncludeManagementEvents: true, ReadWriteType: 'All' }] });

    // Act
    const warning = await cloudTrailWarning(new CloudTrailClient({ region: 'eu-central-1' }));

    // Assess
    expect(warning).toBeUndefined();
  });

  it.each([
    ['no trail', [], true, []],
    ['a trail that is not logging', [{ TrailARN: TRAIL }], false, [{ IncludeManagementEvents: true, ReadWriteType: 'All' }]],
    ['a trail with read-only management events', [{ TrailARN: TRAIL }], true, [{ IncludeManagementEvents: true, ReadWriteType: 'ReadOnly' }]],
    ['a trail with data events only', [{ TrailARN: TRAIL }], true, [{ IncludeManagementEvents: false, ReadWriteType: 'All' }]],
  ] as const)('warns with %s, naming what is lost', async (_case, trailList, isLogging, selectors) => {
    // Prepare
    cloudTrail.on(DescribeTrailsCommand).resolves({ trailList: [...trailList] });
    cloudTrail.on(GetTrailStatusCommand).resolves({ IsLogging: isLogging });
    cloudTrail.on(GetEventSelectorsCommand).resolves({ EventSelectors: selectors.map((selector) => ({ ...selector })) });

    // Act
    const warning = await cloudTrailWarning(new CloudTrailClient({ region: 'eu-central-1' }));

    // Assess
    expect(warning).toMatch(/no CloudTrail trail logs management write events.*configured only by the reconcile sweep/);
  });
});

describe('copySecretKmsWarnings', () => {
  const SECRET = 'arn:aws:secretsmanager:eu-central-1:111122223333:secret:mcr-AbCdEf';
  const config = exampleConfigWith({ pullThroughCache: [{ prefix: 'mcr', upstream: 'mcr.microsoft.com', mode: 'copy', credentialArn: SECRET }] });

  it('warns about a customer-managed key, the prepopulate role has no kms:Decrypt', async () => {
    // Prepare
    secrets.on(DescribeSecretCommand, { SecretId: SECRET }).resolves({ KmsKeyId: 'arn:aws:kms:eu-central-1:111122223333:key/1234' });

    // Act
    const warnings = await copySecretKmsWarnings(new SecretsManagerClient({ region: 'eu-central-1' }), config);

    // Assess
    expect(warnings).toEqual([expect.stringMatching(/pullThroughCache "mcr": the secret .* KMS key arn:aws:kms:.*key\/1234; the prepopulate worker has no kms:Decrypt/)]);
  });

  it('is silent for the AWS managed key or none', async () => {
    // Prepare
    secrets.on(DescribeSecretCommand).resolvesOnce({ KmsKeyId: 'alias/aws/secretsmanager' }).resolvesOnce({});

    // Act
    const managed = await copySecretKmsWarnings(new SecretsManagerClient({ region: 'eu-central-1' }), config);
    const none = await copySecretKmsWarnings(new SecretsManagerClient({ region: 'eu-central-1' }), config);

    // Assess
    expect([managed, none]).toEqual([[], []]);
  });
});
