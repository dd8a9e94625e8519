export { LocalQueue } from './local-queue.js';
export type { BatchItemFailure, QueueDeclaration, QueueMessage } from './local-queue.js';
export { LocalSqs } from './local-sqs.js';
export type { LocalSqsOptions } from './local-sqs.js';
export { md5OfMessageAttributes } from './message-md5.js';
export type { MessageAttributeValue } from './message-md5.js';
