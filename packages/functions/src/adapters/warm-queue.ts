import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { WarmRequest } from '@dockmaster/core/prepopulate';

/** Where the fan-out puts one message per image and tag. */
type WarmQueue = { send(requests: readonly WarmRequest[]): Promise<void> };

type SqsWarmQueueOptions = { queueUrl: string; client?: SQSClient };

/** SendMessageBatch takes at most 10 entries. */
const SEND_MESSAGE_BATCH_MAX = 10;

class WarmQueueError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'WarmQueueError';
  }
}

/**
 * SQS SendMessageBatch in batches of 10. Rejected entries are reported in the response, not thrown; any of
 * them fails the whole fan-out so the triggering message is retried (re-sent warms are cheap: unchanged
 * tags cost one HEAD).
 */
const createSqsWarmQueue = ({ queueUrl, client = new SQSClient({}) }: SqsWarmQueueOptions): WarmQueue => ({
  async send(requests) {
    for (let start = 0; start < requests.length; start += SEND_MESSAGE_BATCH_MAX) {
      const chunk = requests.slice(start, start + SEND_MESSAGE_BATCH_MAX);
      const response = await client.send(
        new SendMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: chunk.map((request, index) => ({ Id: `warm-${start + index}`, MessageBody: JSON.stringify(request) })),
        }),
      );
      const failed = response.Failed ?? [];
      if (failed.length > 0) {
        const reasons = failed.map((entry) => `${entry.Id}: ${entry.Code} ${entry.Message ?? ''}`.trim()).join('; ');
        throw new WarmQueueError(`SQS rejected ${failed.length} of ${chunk.length} warm message(s) for ${queueUrl}: ${reasons}`);
      }
    }
  },
});

export { createSqsWarmQueue, SEND_MESSAGE_BATCH_MAX, WarmQueueError };
export type { SqsWarmQueueOptions, WarmQueue };
