import { describe, expect, it } from 'vitest';
import { accountRootArn, ecrRepositoryArn, partitionOf, regionalArn, ssmParameterArn } from './arn.js';

describe('ARNs in every partition', () => {
  it.each([
    ['eu-central-1', 'aws'],
    ['us-east-1', 'aws'],
    ['cn-north-1', 'aws-cn'],
    ['cn-northwest-1', 'aws-cn'],
    ['us-gov-west-1', 'aws-us-gov'],
    ['us-gov-east-1', 'aws-us-gov'],
  ])('builds the ARNs of %s in the %s partition', (region, partition) => {
    // Prepare
    const registry = { accountId: '111122223333', region };

    // Act
    const arns = [
      ecrRepositoryArn(registry, 'k8s/*'),
      ssmParameterArn(registry, '/dockmaster/config'),
      regionalArn(registry, 'cloudwatch', 'alarm:dockmaster-tag-policy-dlq'),
      accountRootArn(partitionOf(region), '444455556666'),
    ];

    // Assess
    expect(arns).toEqual([
      `arn:${partition}:ecr:${region}:111122223333:repository/k8s/*`,
      `arn:${partition}:ssm:${region}:111122223333:parameter/dockmaster/config`,
      `arn:${partition}:cloudwatch:${region}:111122223333:alarm:dockmaster-tag-policy-dlq`,
      `arn:${partition}:iam::444455556666:root`,
    ]);
  });
});
