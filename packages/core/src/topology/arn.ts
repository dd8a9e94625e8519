/** The AWS partition of a Region: ARNs in China and GovCloud do not start with `arn:aws:`. */
const partitionOf = (region: string): string => {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  return 'aws';
};

interface RegistryLocation {
  accountId: string;
  region: string;
}

/** ARN of an ECR repository; `name` may hold IAM wildcards (`prod/*`). */
const ecrRepositoryArn = (registry: RegistryLocation, name: string): string =>
  `arn:${partitionOf(registry.region)}:ecr:${registry.region}:${registry.accountId}:repository/${name}`;

/** ARN of an SSM parameter; names with a leading '/' do not repeat it after `parameter`. */
const ssmParameterArn = (registry: RegistryLocation, name: string): string =>
  `arn:${partitionOf(registry.region)}:ssm:${registry.region}:${registry.accountId}:parameter/${name.replace(/^\//, '')}`;

export { ecrRepositoryArn, partitionOf, ssmParameterArn };
export type { RegistryLocation };
