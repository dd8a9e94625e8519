import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import { emittedEvents } from '../put-events.js';

/* Test support for the prepopulate handler tests: what the worker sent to the mocked SQS and EventBridge. */

/** Bodies of every warm message the fan-out sent since the mock's last reset. */
const sentWarmBodies = (sqs: AwsClientStub<SQSClient>): string[] =>
  sqs.commandCalls(SendMessageBatchCommand).flatMap((call) => (call.args[0].input.Entries ?? []).map((entry) => entry.MessageBody ?? ''));

/** Every event put on Dockmaster's bus since the mock's last reset, detail parsed. */
const emittedTypesAndDetails = (eventBridge: AwsClientStub<EventBridgeClient>) =>
  emittedEvents(eventBridge).map((entry) => ({ type: entry.DetailType, detail: entry.Detail }));

export { emittedTypesAndDetails, sentWarmBodies };
