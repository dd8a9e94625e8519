import type { PausedRecordQueue } from '../src/adapters/paused-records.js';

/** A PausedRecordQueue that remembers the bodies it was asked to keep (the SQS one is tested in sqs-batch-handler.test.ts). */
const recordingPausedQueue = (): PausedRecordQueue & { kept: string[] } => {
  const kept: string[] = [];
  return {
    kept,
    keep: async (record) => {
      kept.push(record.body);
    },
  };
};

export { recordingPausedQueue };
