import { AwsServiceError } from '../aws-endpoint/aws-service-error.js';

/**
 * SQS errors as the JSON protocol returns them: `__type` names the modelled exception and
 * `x-amzn-query-error` carries the legacy query code (SQS is awsQueryCompatible), with the model's HTTP status.
 */
function sqsError(code: string, message: string, queryErrorCode: string = code, statusCode = 400): AwsServiceError {
  return new AwsServiceError(code, message, { statusCode, queryErrorCode });
}

const queueDoesNotExist = (): AwsServiceError => sqsError('QueueDoesNotExist', 'The specified queue does not exist.', 'AWS.SimpleQueueService.NonExistentQueue');
const invalidParameterValue = (message: string): AwsServiceError => sqsError('InvalidParameterValue', message);
const receiptHandleIsInvalid = (handle: string): AwsServiceError => sqsError('ReceiptHandleIsInvalid', `The input receipt handle "${handle}" is not a valid receipt handle.`, 'ReceiptHandleIsInvalid', 404);
const messageNotInflight = (): AwsServiceError => sqsError('MessageNotInflight', 'The message referred to is not in flight.', 'AWS.SimpleQueueService.MessageNotInflight');

export { invalidParameterValue, messageNotInflight, queueDoesNotExist, receiptHandleIsInvalid, sqsError };
