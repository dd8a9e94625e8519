import { type EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import type { AwsClientStub } from 'aws-sdk-client-mock';

/** Every entry the workers sent with PutEvents to the mocked EventBridge client, in order, across all calls. */
const putEventsEntries = (eventBridgeMock: AwsClientStub<EventBridgeClient>): PutEventsRequestEntry[] =>
  eventBridgeMock.commandCalls(PutEventsCommand).flatMap((call) => call.args[0].input.Entries ?? []);

/** One entry as the bus received it, its detail parsed (typed by the caller, who knows which events it reads). */
type EmittedEvent<Detail = Record<string, unknown>> = Omit<PutEventsRequestEntry, 'Detail'> & {
  DetailType: string;
  Source: string;
  EventBusName: string;
  Detail: Detail;
};

/** Every entry PutEvents received, in order, with Detail parsed: the one reader of the workers' emitted events. */
const emittedEvents = <Detail = Record<string, unknown>>(eventBridgeMock: AwsClientStub<EventBridgeClient>): EmittedEvent<Detail>[] =>
  putEventsEntries(eventBridgeMock).map((entry) => ({
    ...entry,
    DetailType: entry.DetailType ?? '',
    Source: entry.Source ?? '',
    EventBusName: entry.EventBusName ?? '',
    Detail: JSON.parse(entry.Detail ?? '{}') as Detail,
  }));

export { emittedEvents, putEventsEntries };
export type { EmittedEvent };
