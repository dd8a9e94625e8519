import { type EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import type { AwsClientStub } from 'aws-sdk-client-mock';

/** Every entry the workers sent with PutEvents to the mocked EventBridge client, in order, across all calls. */
const putEventsEntries = (eventBridgeMock: AwsClientStub<EventBridgeClient>): PutEventsRequestEntry[] =>
  eventBridgeMock.commandCalls(PutEventsCommand).flatMap((call) => call.args[0].input.Entries ?? []);

export { putEventsEntries };
