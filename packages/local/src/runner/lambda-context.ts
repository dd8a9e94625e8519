import { regionalArn } from '@dockmaster/core/topology';
import { randomUUID } from 'node:crypto';
import type { AutomationSpec } from '@dockmaster/core/topology';
import type { Context } from 'aws-lambda';

interface LambdaContextOptions {
  automation: AutomationSpec;
  account: string;
  region: string;
  /** When the invocation started (performance.now() milliseconds). */
  startedAt: number;
}

/** The Lambda-like context of one local invocation: names as the deployed function would have them, the topology's timeout. */
const lambdaContext = ({ automation, account, region, startedAt }: LambdaContextOptions): Context => {
  const functionName = `dockmaster-${automation.id}`;
  const deadline = startedAt + automation.function.timeoutSeconds * 1000;
  const unsupported = (name: string) => () => {
    throw new Error(`context.${name}() is not supported by the local runner; return a value or throw instead`);
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: regionalArn({ accountId: account, region }, 'lambda', `function:${functionName}`),
    memoryLimitInMB: String(automation.function.memoryMb),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `local/[$LATEST]${randomUUID().replaceAll('-', '')}`,
    getRemainingTimeInMillis: () => Math.max(0, Math.round(deadline - performance.now())),
    done: unsupported('done'),
    fail: unsupported('fail'),
    succeed: unsupported('succeed'),
  };
};

export { lambdaContext };
export type { LambdaContextOptions };
