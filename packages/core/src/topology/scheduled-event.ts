import { AwsDetailType, EventSource } from '../events/vocabulary.js';
import type { JsonValue, ScheduleRuleSpec } from './types.js';

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
      `{"version":"0","id":"<id>","detail-type":${JSON.stringify(AwsDetailType.ScheduledEvent)},` +
      `"source":${JSON.stringify(EventSource.Events)},"account":"<account>","time":"<time>",` +
      `"region":"<region>","resources":<resources>,"detail":${JSON.stringify(detail)}}`,
  },
});

export { scheduleRule };
