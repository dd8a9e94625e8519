import { CloudTrailClient, DescribeTrailsCommand, GetEventSelectorsCommand, GetTrailStatusCommand } from '@aws-sdk/client-cloudtrail';
import { DescribeSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { DockmasterConfig } from '@dockmaster/core/config';
import { CacheMode } from '@dockmaster/core/constants';

/*
 * What only the account can tell, asked at deploy (sst.config.ts, after the deploy-target check). Both are
 * warnings: the stack still works, with a gap the operator should know about (docs/operations.md, "Before the
 * first deploy"). No SST globals here, so they are unit-tested with mocked SDK clients.
 */

/**
 * The `AWS API Call via CloudTrail` rule (repositories created by people or by copy mode) fires only when a
 * trail that is logging records management write events in the Region. Without one, those repositories are
 * configured only by the cache-repository reconcile sweep, hours later.
 */
const cloudTrailWarning = async (client: CloudTrailClient): Promise<string | undefined> => {
  const { trailList = [] } = await client.send(new DescribeTrailsCommand({ includeShadowTrails: true }));
  for (const trail of trailList) {
    if (trail.TrailARN === undefined) continue;
    const status = await client.send(new GetTrailStatusCommand({ Name: trail.TrailARN }));
    if (status.IsLogging !== true) continue;
    const selectors = await client.send(new GetEventSelectorsCommand({ TrailName: trail.TrailARN }));
    const basic = (selectors.EventSelectors ?? []).some((selector) => selector.IncludeManagementEvents !== false && selector.ReadWriteType !== 'ReadOnly');
    const advanced = (selectors.AdvancedEventSelectors ?? []).some((selector) =>
      selector.FieldSelectors?.some((field) => field.Field === 'eventCategory' && field.Equals?.includes('Management')),
    );
    if (basic || advanced) return undefined;
  }
  return (
    'no CloudTrail trail logs management write events in this Region, so the rule for repositories created by people or by copy mode never fires; ' +
    'such repositories are configured only by the reconcile sweep. Create a trail with management events (docs/operations.md, "Before the first deploy").'
  );
};

/** The key AWS uses when a secret names none; any other key needs kms:Decrypt, which the prepopulate role does not have. */
const AWS_MANAGED_SECRETS_KEY = 'alias/aws/secretsmanager';

/** Copy-mode secrets encrypted with a customer-managed KMS key: the prepopulate worker could not read them. */
const copySecretKmsWarnings = async (client: SecretsManagerClient, config: Pick<DockmasterConfig, 'pullThroughCache'>): Promise<string[]> => {
  const warnings: string[] = [];
  for (const cache of config.pullThroughCache.filter((entry) => entry.mode === CacheMode.Copy && entry.credentialArn !== undefined)) {
    const { KmsKeyId } = await client.send(new DescribeSecretCommand({ SecretId: cache.credentialArn }));
    if (KmsKeyId !== undefined && KmsKeyId !== AWS_MANAGED_SECRETS_KEY) {
      warnings.push(
        `pullThroughCache "${cache.prefix}": the secret ${cache.credentialArn} is encrypted with the KMS key ${KmsKeyId}; the prepopulate worker has no kms:Decrypt on it ` +
          'and cannot read the credentials. Allow the worker role kms:Decrypt in the key policy, or use the AWS managed key.',
      );
    }
  }
  return warnings;
};

export { cloudTrailWarning, copySecretKmsWarnings };
