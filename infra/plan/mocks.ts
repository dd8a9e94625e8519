import { formatArn, partitionOf, regionalArn, ssmParameterArn } from '@dockmaster/core/topology';
import { renderPolicyDocument, type PolicyDocumentArgs } from './policy-document';

/*
 * Pulumi unit-test mocks for the plan: each resource gets the outputs AWS would give it (ARN, URL, name) from
 * its inputs and the account and Region of the configuration, so the policies and targets that reference
 * them show real-looking ARNs. Data sources (invokes) answer as the account of the configuration would; an
 * invoke nobody mocked fails loudly instead of returning nothing.
 */

interface MockResourceArgs {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  custom?: boolean;
  id?: string;
}

interface MockCallArgs {
  token: string;
  inputs: Record<string, unknown>;
}

interface PlannedResource {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

interface Target {
  accountId: string;
  region: string;
}

const dnsSuffixOf = (partition: string): string => (partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com');

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** Outputs for the resource types Dockmaster declares; others get an ARN-less id. */
const outputsFor = (target: Target, args: MockResourceArgs): Record<string, unknown> => {
  const partition = partitionOf(target.region);
  const { region, accountId } = target;
  const arn = (service: string, resource: string, regional = true) =>
    regional ? regionalArn(target, service, resource) : formatArn({ partition, service, region: '', accountId, resource });
  const name = text(args.inputs.name) ?? args.name;
  switch (args.type) {
    case 'aws:sqs/queue:Queue':
      return { name, arn: arn('sqs', name), url: `https://sqs.${region}.${dnsSuffixOf(partition)}/${accountId}/${name}` };
    case 'aws:cloudwatch/eventRule:EventRule': {
      const bus = text(args.inputs.eventBusName) ?? 'default';
      return { name, arn: arn('events', bus === 'default' ? `rule/${name}` : `rule/${bus}/${name}`) };
    }
    case 'aws:cloudwatch/eventBus:EventBus':
      return { name, arn: arn('events', `event-bus/${name}`) };
    case 'aws:sns/topic:Topic':
      return { name, arn: arn('sns', name) };
    case 'aws:dynamodb/table:Table':
      return { name, arn: arn('dynamodb', `table/${name}`), streamArn: '' };
    case 'aws:iam/role:Role':
      return { name, arn: arn('iam', `role/${name}`, false), uniqueId: `AROA${args.name.toUpperCase().slice(0, 16)}` };
    case 'aws:lambda/function:Function':
      return { name, arn: arn('lambda', `function:${name}`), invokeArn: arn('lambda', `function:${name}`) };
    case 'aws:cloudwatch/metricAlarm:MetricAlarm':
      return { name, arn: arn('cloudwatch', `alarm:${name}`) };
    case 'aws:cloudwatch/logGroup:LogGroup':
      return { name, arn: arn('logs', `log-group:${name}`) };
    case 'aws:ssm/parameter:Parameter':
      return { name, arn: ssmParameterArn(target, name) };
    case 'aws:ecr/pullThroughCacheRule:PullThroughCacheRule':
    case 'aws:ecr/repositoryCreationTemplate:RepositoryCreationTemplate':
      return { registryId: accountId };
    case 'aws:cloudwatch/eventConnection:EventConnection':
      return { name, arn: arn('events', `connection/${name}/00000000-0000-4000-8000-000000000000`), secretArn: arn('secretsmanager', `secret:events!connection/${name}-AbCdEf`) };
    case 'aws:cloudwatch/eventApiDestination:EventApiDestination':
      return { name, arn: arn('events', `api-destination/${name}/00000000-0000-4000-8000-000000000000`) };
    case 'aws:chatbot/slackChannelConfiguration:SlackChannelConfiguration':
    case 'aws:chatbot/teamsChannelConfiguration:TeamsChannelConfiguration':
      return { chatConfigurationArn: arn('chatbot', `chat-configuration/${args.type.includes('slack') ? 'slack' : 'teams'}-channel/${String(args.inputs.configurationName)}`, false) };
    case 'random:index/randomBytes:RandomBytes':
      // Function.encryptionKey: the bytes only matter to a deployed function.
      return { base64: Buffer.alloc(Number(args.inputs.length ?? 32)).toString('base64'), hex: '' };
    default:
      return {};
  }
};

const createMocks = (target: Target, planned: PlannedResource[]) => {
  const partition = partitionOf(target.region);
  return {
    newResource(args: MockResourceArgs): { id: string; state: Record<string, unknown> } {
      // Components (sst:aws:Queue, ...) only group resources; the plan lists what AWS would create.
      if (args.custom !== false && !args.type.startsWith('pulumi:providers:')) {
        planned.push({ type: args.type, name: args.name, inputs: args.inputs });
      }
      const outputs = outputsFor(target, args);
      const id = text(outputs.url) ?? text(outputs.name) ?? `${args.name}-id`;
      return { id, state: { ...args.inputs, ...outputs } };
    },
    call(args: MockCallArgs): Record<string, unknown> {
      switch (args.token) {
        case 'aws:index/getCallerIdentity:getCallerIdentity':
          return {
            accountId: target.accountId,
            arn: formatArn({ partition, service: 'iam', region: '', accountId: target.accountId, resource: 'user/dockmaster-plan' }),
            userId: 'AIDADOCKMASTERPLAN',
            id: target.accountId,
          };
        case 'aws:index/getRegion:getRegion':
          return { region: target.region, name: target.region, id: target.region, endpoint: `ec2.${target.region}.${dnsSuffixOf(partition)}` };
        case 'aws:index/getPartition:getPartition':
          return { partition, id: partition, dnsSuffix: dnsSuffixOf(partition), reverseDnsPrefix: partition === 'aws-cn' ? 'cn.com.amazonaws' : 'com.amazonaws' };
        case 'aws:iam/getPolicyDocument:getPolicyDocument': {
          const document = renderPolicyDocument(args.inputs as PolicyDocumentArgs);
          return { ...args.inputs, id: 'policy', json: JSON.stringify(document, null, 2), minifiedJson: JSON.stringify(document) };
        }
        case 'aws:secretsmanager/getSecretVersion:getSecretVersion':
          // The plan never reads a secret: it shows where the value comes from instead. The trailing newline is what a
          // secret stored from a key file made with `echo` has; the plan shows the value infra hands on (trimmed).
          return { ...args.inputs, id: String(args.inputs.secretId), arn: String(args.inputs.secretId), secretString: `[secret: read from ${String(args.inputs.secretId)} at deploy]\n`, versionId: 'plan', versionStages: ['AWSCURRENT'] };
        default:
          throw new Error(`infra:plan has no mock for the data source ${args.token}; add one to infra/plan/mocks.ts`);
      }
    },
  };
};

export { createMocks };
export type { PlannedResource, Target };
