import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { BusPublishError, createDockmasterBus, type DockmasterEvent } from '../src/adapters/dockmaster-bus.js';

const eventBridgeMock = mockClient(EventBridgeClient);
const bus = createDockmasterBus({ busName: 'dockmaster-test', client: new EventBridgeClient({ region: 'eu-central-1' }) });

const events = (count: number): DockmasterEvent[] =>
  Array.from({ length: count }, (_, index) => ({ detailType: 'Tag Policy Violation', detail: { index } }));

beforeEach(() => {
  eventBridgeMock.reset();
});

describe('emitEvents', () => {
  it('sends in chunks of 10 with Dockmaster as source, on its bus', async () => {
    // Prepare
    eventBridgeMock.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [] });

    // Act
    await bus.emitEvents(events(23));

    // Assess
    const calls = eventBridgeMock.commandCalls(PutEventsCommand).map((call) => call.args[0].input.Entries ?? []);
    expect(calls.map((entries) => entries.length)).toEqual([10, 10, 3]);
    expect(calls[2]?.[2]).toEqual({
      EventBusName: 'dockmaster-test',
      Source: 'dockmaster',
      DetailType: 'Tag Policy Violation',
      Detail: JSON.stringify({ index: 22 }),
    });
  });

  it('throws with the reasons when EventBridge rejects entries', async () => {
    // Prepare
    eventBridgeMock.on(PutEventsCommand).resolves({
      FailedEntryCount: 1,
      Entries: [{ EventId: 'ok' }, { ErrorCode: 'InternalFailure', ErrorMessage: 'try again' }],
    });

    // Act
    const emitting = bus.emitEvents(events(2));

    // Assess
    await expect(emitting).rejects.toThrow(BusPublishError);
    await expect(emitting).rejects.toThrow(/1 event\(s\) on bus "dockmaster-test": Tag Policy Violation: InternalFailure try again/);
  });

  it('sends nothing for no events', async () => {
    // Act
    await bus.emitEvents([]);

    // Assess
    expect(eventBridgeMock.commandCalls(PutEventsCommand)).toHaveLength(0);
  });
});
