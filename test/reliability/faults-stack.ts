import path from 'node:path';
import { ECRClient } from '@aws-sdk/client-ecr';
import { type Message, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { AutomationId } from '@dockmaster/core/constants';
import { createSqsDeadLetterQueue, type DeadLetterQueue } from '@dockmaster/functions/adapters/dead-letter';
import { createCacheRepositoryHandler } from '@dockmaster/functions/handlers/cache-repository';
import { createPrepopulateHandler } from '@dockmaster/functions/handlers/prepopulate';
import { createReplicationHandler } from '@dockmaster/functions/handlers/replication';
import { createScanAlertHandler } from '@dockmaster/functions/handlers/scan-alert';
import { createTagPolicyHandler } from '@dockmaster/functions/handlers/tag-policy';
import { ControlClient, writeState, type LocalStackState } from '@dockmaster/local/control';
import type { WorkerHandler, WorkerModule } from '@dockmaster/local/runner';
import { deadLetterQueueName, localStackState, queueName, type LocalStack } from '@dockmaster/local/stack';
import { startTestStack } from '../support/local-stack.js';

/*
 * The local stack for the reliability tests: the production workers, each given its own dead-letter queue the
 * way infra gives it (DOCKMASTER_DEAD_LETTER_QUEUE_URL is one variable per Lambda function; the in-process
 * workers share one process environment, so here each worker gets its queue directly).
 */

type FaultsStack = {
  stack: LocalStack;
  stateDir: string;
  ecr: ECRClient;
  sqs: SQSClient;
  /** The stack's control API, as `dockmaster` commands in another process reach it (state file written). */
  control: ControlClient;
  state: LocalStackState;
  queueUrl: (automation: AutomationId) => string;
  deadLetterQueueUrl: (automation: AutomationId) => string;
  /** The messages in an automation's DLQ, with all attributes; left visible for a later redrive. */
  deadLetters: (automation: AutomationId) => Promise<Message[]>;
  stop: () => Promise<void>;
};

const handlerFactories: Record<string, (deadLetterQueue: DeadLetterQueue) => WorkerHandler> = {
  'tag-policy': (deadLetterQueue) => createTagPolicyHandler({ deadLetterQueue }),
  'cache-repository': (deadLetterQueue) => createCacheRepositoryHandler({ deadLetterQueue }),
  prepopulate: (deadLetterQueue) => createPrepopulateHandler({ deadLetterQueue }),
  'scan-alert': (deadLetterQueue) => createScanAlertHandler({ deadLetterQueue }),
  replication: (deadLetterQueue) => createReplicationHandler({ deadLetterQueue }),
};

const startFaultsStack = async (): Promise<FaultsStack> => {
  let started: LocalStack | undefined;
  const clients = new Map<string, DeadLetterQueue>();
  // Resolved on the first dead letter: the queue URL needs the stack's endpoint, known once it runs.
  const deadLetterQueueOf = (automation: string): DeadLetterQueue => ({
    get queueUrl() {
      if (started === undefined) throw new Error('the local stack is not running');
      return started.sqs.queueUrl(deadLetterQueueName(started.topology, automation as AutomationId), started.urls.aws);
    },
    send(letter) {
      const url = this.queueUrl;
      let queue = clients.get(url);
      if (queue === undefined) {
        queue = createSqsDeadLetterQueue({ queueUrl: url });
        clients.set(url, queue);
      }
      return queue.send(letter);
    },
  });
  const loadWorker = async (handler: string): Promise<WorkerModule> => {
    const automation = path.basename(handler).replace(/\.handler$/, '');
    const create = handlerFactories[automation];
    if (create === undefined) return { ok: false, file: handler, reason: `no test factory for ${handler}` };
    return { ok: true, file: handler, handler: create(deadLetterQueueOf(automation)) };
  };

  const testStack = await startTestStack({ prefix: 'reliability', loadWorker });
  const { stack, stateDir, ecr, configPath } = testStack;
  started = stack;
  const sqs = new SQSClient({ ...testStack.clientConfig, endpoint: stack.urls.aws });
  const state = localStackState(stack, { configPath, detached: false });
  writeState(stateDir, state);
  const queueUrl = (automation: AutomationId) => stack.sqs.queueUrl(queueName(stack.topology, automation), stack.urls.aws);
  const deadLetterQueueUrl = (automation: AutomationId) => stack.sqs.queueUrl(deadLetterQueueName(stack.topology, automation), stack.urls.aws);
  return {
    stack,
    stateDir,
    ecr,
    sqs,
    control: new ControlClient(state),
    state,
    queueUrl,
    deadLetterQueueUrl,
    deadLetters: async (automation) => {
      const received = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: deadLetterQueueUrl(automation), MaxNumberOfMessages: 10, VisibilityTimeout: 0, MessageAttributeNames: ['All'] }),
      );
      return received.Messages ?? [];
    },
    stop: async () => {
      sqs.destroy();
      await testStack.stop();
    },
  };
};

export { startFaultsStack };
export type { FaultsStack };
