import { partitionOf, type Partition, type RegistryLocation } from '../topology/arn.js';

/**
 * DNS suffix of ECR's registry endpoints per partition (`<account>.dkr.ecr.<region>.<suffix>`): China's endpoints
 * end in amazonaws.com.cn, the ISO partitions have their own domains (AWS General Reference, "Service endpoints").
 */
const ECR_DNS_SUFFIX = {
  aws: 'amazonaws.com',
  'aws-cn': 'amazonaws.com.cn',
  'aws-us-gov': 'amazonaws.com',
  'aws-iso': 'c2s.ic.gov',
  'aws-iso-b': 'sc2s.sgov.gov',
} as const satisfies Record<Partition, string>;

/** The host clusters pull from: `<accountId>.dkr.ecr.<region>.amazonaws.com` (the config's `registry`). */
const ecrRegistryHost = (registry: RegistryLocation): string =>
  `${registry.accountId}.dkr.ecr.${registry.region}.${ECR_DNS_SUFFIX[partitionOf(registry.region)]}`;

export { ECR_DNS_SUFFIX, ecrRegistryHost };
