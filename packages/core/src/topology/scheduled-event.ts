import { AwsDetailType, EventSource } from '../events/vocabulary.js';
import type { JsonValue, ScheduleRuleSpec } from './types.js';

/** `source` and `detail-type` EventBridge gives the events of scheduled rules. */
const SCHEDULED_EVENT_SOURCE = EventSource.Events;
const SCHEDULED_EVENT_DETAIL_TYPE = AwsDetailType.ScheduledEvent;

/**
 * A scheduled rule whose target input keeps the EventBridge envelope (so workers parse every message
 * the same way) but carries `detail`, which an untransformed `Scheduled Event` leaves empty.
 * Placeholders such as `<id>` are filled by EventBridge from `inputPaths`; `<resources>` is an array and
 * is therefore inserted without quotes.
 */
const scheduleRule = (
  name: string,
  description: string,
  scheduleExpression: string,
  detail: { [key: string]: JsonValue },
): ScheduleRuleSpec => ({
  kind: 'schedule',
  name,
  description,
  scheduleExpression,
  detail,
  inputTransformer: {
    inputPaths: { id: '$.id', account: '$.account', time: '$.time', region: '$.region', resources: '$.resources' },
    inputTemplate:
      `{"version":"0","id":"<id>","detail-type":${JSON.stringify(SCHEDULED_EVENT_DETAIL_TYPE)},` +
      `"source":${JSON.stringify(SCHEDULED_EVENT_SOURCE)},"account":"<account>","time":"<time>",` +
      `"region":"<region>","resources":<resources>,"detail":${JSON.stringify(detail)}}`,
  },
});

export { SCHEDULED_EVENT_DETAIL_TYPE, SCHEDULED_EVENT_SOURCE, scheduleRule };
