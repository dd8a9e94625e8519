import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { DOCKMASTER_EVENT_SOURCE, type DockmasterEventType } from '@dockmaster/core/constants';

/** One event for Dockmaster's bus; the source is always DOCKMASTER_EVENT_SOURCE. */
type DockmasterEvent = {
  detailType: DockmasterEventType;
  detail: Record<string, unknown>;
  resources?: string[];
};

type DockmasterBus = {
  /** Publishes all events; throws when any entry is rejected, so the record is retried (consumers may see duplicates). */
  emitEvents(events: readonly DockmasterEvent[]): Promise<void>;
};

type DockmasterBusOptions = { busName: string; client?: EventBridgeClient };

/** PutEvents accepts at most 10 entries per call. */
const PUT_EVENTS_MAX_ENTRIES = 10;

class BusPublishError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'BusPublishError';
  }
}

const toEntry = (busName: string, event: DockmasterEvent): PutEventsRequestEntry => ({
  EventBusName: busName,
  Source: DOCKMASTER_EVENT_SOURCE,
  DetailType: event.detailType,
  Detail: JSON.stringify(event.detail),
  ...(event.resources ? { Resources: event.resources } : {}),
});

const createDockmasterBus = ({ busName, client = new EventBridgeClient({}) }: DockmasterBusOptions): DockmasterBus => ({
  async emitEvents(events) {
    for (let start = 0; start < events.length; start += PUT_EVENTS_MAX_ENTRIES) {
      const chunk = events.slice(start, start + PUT_EVENTS_MAX_ENTRIES);
      const response = await client.send(new PutEventsCommand({ Entries: chunk.map((event) => toEntry(busName, event)) }));
      // PutEvents reports rejected entries in the response instead of throwing.
      if ((response.FailedEntryCount ?? 0) > 0) {
        const reasons = (response.Entries ?? []).flatMap((entry, index) =>
          entry.ErrorCode ? [`${chunk[index]?.detailType ?? 'event'}: ${entry.ErrorCode} ${entry.ErrorMessage ?? ''}`.trim()] : [],
        );
        throw new BusPublishError(`EventBridge rejected ${response.FailedEntryCount} event(s) on bus "${busName}": ${reasons.join('; ')}`);
      }
    }
  },
});

export { BusPublishError, createDockmasterBus, PUT_EVENTS_MAX_ENTRIES };
export type { DockmasterBus, DockmasterBusOptions, DockmasterEvent };
