import type { PutEventsRequestEntry, PutEventsResultEntry } from '@aws-sdk/client-eventbridge';
import * as z from 'zod';
import { AwsServiceError } from './aws-service-error.js';
import { operation } from './service.js';
import type { AwsJsonService } from './service.js';

/** The local bus behind `AWSEvents.PutEvents`: one result per entry, in order (EventId or ErrorCode/ErrorMessage). */
interface LocalEventBus {
  putEvents(entries: PutEventsRequestEntry[]): Promise<PutEventsResultEntry[]> | PutEventsResultEntry[];
}

const validationError = (message: string): AwsServiceError => new AwsServiceError('ValidationException', message);

const PutEventsInputSchema = z.object({
  // PutEvents accepts 1..10 entries per call.
  Entries: z
    .array(
      z.looseObject({
        Source: z.string().optional(),
        DetailType: z.string().optional(),
        Detail: z.string().optional(),
        EventBusName: z.string().optional(),
        Resources: z.array(z.string()).optional(),
        // epoch seconds on the wire
        Time: z.number().optional(),
        TraceHeader: z.string().optional(),
      }),
    )
    .min(1)
    .max(10),
  EndpointId: z.string().optional(),
});

/** Adapts a local bus to the EventBridge JSON API, so the production EventBridge client publishes to it unchanged. */
function eventBridgeService(bus: LocalEventBus): AwsJsonService {
  return {
    operations: {
      PutEvents: operation(PutEventsInputSchema, validationError, async ({ Entries }) => {
        const entries: PutEventsRequestEntry[] = Entries.map(({ Time, ...entry }) => ({
          ...entry,
          ...(Time === undefined ? {} : { Time: new Date(Time * 1000) }),
        }));
        const results = await bus.putEvents(entries);
        if (results.length !== entries.length) {
          throw new AwsServiceError('InternalException', `The local bus answered ${results.length} results for ${entries.length} entries.`, { statusCode: 500 });
        }
        return { FailedEntryCount: results.filter((result) => result.ErrorCode !== undefined).length, Entries: results };
      }),
    },
  };
}

export { eventBridgeService };
export type { LocalEventBus };
