import { buildTopology } from '@dockmaster/core/topology';
import { loadDeployConfig } from './load-config';

/*
 * The configuration to deploy and the topology derived from it. Importing this module validates the
 * file; an invalid file throws here, before any other infra module creates a resource.
 */

const deployConfig = (() => {
  try {
    return loadDeployConfig($cli.paths.root, process.env.DOCKMASTER_CONFIG);
  } catch (error) {
    // Print the problem lines as they are; SST would otherwise show them inside a stack trace.
    console.error((error as Error).message);
    throw error;
  }
})();
for (const warning of deployConfig.warnings) console.warn(`warning: ${warning}`);

const configParameterName = `/${$app.name}/${$app.stage}/config`;

const topology = buildTopology(deployConfig.config, {
  configParameterName,
  busName: `${$app.name}-${$app.stage}`,
});

/**
 * Every ARN in the topology is built from `registry.accountId`/`region` of the file, so deploying with
 * credentials for another account or Region would create rules that never fire and policies that grant
 * nothing. Fail instead.
 */
const checkDeployTarget = async (): Promise<void> => {
  const [identity, region] = await Promise.all([aws.getCallerIdentity({}), aws.getRegion({})]);
  const expected = deployConfig.config.registry;
  if (identity.accountId !== expected.accountId || region.region !== expected.region) {
    throw new Error(
      `${deployConfig.file} describes the registry ${expected.accountId} in ${expected.region}, but the deploy targets ` +
        `${identity.accountId} in ${region.region}. Use credentials and a Region (AWS_PROFILE, AWS_REGION) for that registry, ` +
        'or set DOCKMASTER_CONFIG to the configuration of this account.',
    );
  }
};

/**
 * Warnings only the account can give (infra/deploy-checks.ts): a CloudTrail trail with management events, and
 * KMS keys on copy-mode secrets. infra:plan sets DOCKMASTER_PLAN=1 (no account there) and skips them.
 */
const checkAccountPrerequisites = async (): Promise<void> => {
  if (process.env.DOCKMASTER_PLAN === '1') return;
  const { CloudTrailClient } = await import('@aws-sdk/client-cloudtrail');
  const { SecretsManagerClient } = await import('@aws-sdk/client-secrets-manager');
  const { cloudTrailWarning, copySecretKmsWarnings } = await import('./deploy-checks');
  const region = deployConfig.config.registry.region;
  const warnings = [
    await cloudTrailWarning(new CloudTrailClient({ region })),
    ...(await copySecretKmsWarnings(new SecretsManagerClient({ region }), deployConfig.config)),
  ];
  for (const warning of warnings) if (warning !== undefined) console.warn(`warning: ${warning}`);
};

export { checkAccountPrerequisites, checkDeployTarget, configParameterName, deployConfig, topology };
