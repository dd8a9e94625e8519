/*
 * Every ARN Dockmaster builds goes through formatArn, with the partition taken from the Region: ARNs in China
 * start with `arn:aws-cn:`, in GovCloud with `arn:aws-us-gov:`, and a principal or resource in the wrong
 * partition is rejected (or, in a condition, silently never matches). Service principals are not partitioned
 * this way: `events.amazonaws.com` and `cloudwatch.amazonaws.com` are the same in China, where SQS rejects a queue
 * policy naming `events.amazonaws.com.cn` (terraform-aws-modules/terraform-aws-eks#2932; only a few old services
 * such as EC2 used `amazonaws.com.cn` principals). Endpoints do differ (`*.amazonaws.com.cn`), but Dockmaster
 * builds none: the SDK resolves them from the Region, and ECR registry URLs come from GetAuthorizationToken's
 * proxyEndpoint.
 */

const PARTITIONS = ['aws', 'aws-cn', 'aws-us-gov', 'aws-iso', 'aws-iso-b'] as const;
type Partition = (typeof PARTITIONS)[number];

/** The AWS partition of a Region. */
const partitionOf = (region: string): Partition => {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  return 'aws';
};

interface RegistryLocation {
  accountId: string;
  region: string;
}

interface ArnParts {
  partition: Partition;
  service: string;
  /** Empty for global services (IAM). */
  region: string;
  /** Empty for resources without an account (S3 buckets); not used by Dockmaster today. */
  accountId: string;
  resource: string;
}

/** `arn:<partition>:<service>:<region>:<account>:<resource>`; the one place an ARN is put together. */
const formatArn = ({ partition, service, region, accountId, resource }: ArnParts): string =>
  `arn:${partition}:${service}:${region}:${accountId}:${resource}`;

/** ARN of a regional resource in the registry's account and Region (SQS, SNS, EventBridge, CloudWatch, Lambda...). */
const regionalArn = (location: RegistryLocation, service: string, resource: string): string =>
  formatArn({ partition: partitionOf(location.region), service, region: location.region, accountId: location.accountId, resource });

/** The root principal of an account, `arn:<partition>:iam::<account>:root`: the whole account, as IAM policies name it. */
const accountRootArn = (partition: Partition, accountId: string): string => formatArn({ partition, service: 'iam', region: '', accountId, resource: 'root' });

/** ARN of an ECR repository; `name` may hold IAM wildcards (`prod/*`). */
const ecrRepositoryArn = (registry: RegistryLocation, name: string): string => regionalArn(registry, 'ecr', `repository/${name}`);

/** ARN of an SSM parameter; names with a leading '/' do not repeat it after `parameter`. */
const ssmParameterArn = (registry: RegistryLocation, name: string): string => regionalArn(registry, 'ssm', `parameter/${name.replace(/^\//, '')}`);

export { accountRootArn, ecrRepositoryArn, formatArn, partitionOf, PARTITIONS, regionalArn, ssmParameterArn };
export type { ArnParts, Partition, RegistryLocation };
