/**
 * An error the way an AWS JSON-protocol service reports it. The endpoint turns it into
 * HTTP `statusCode` + `{"__type": code, "message": ...}` + `x-amzn-ErrorType`, which is what the
 * SDK v3 reads to throw the matching named exception (`error.name === code`).
 */
class AwsServiceError extends Error {
  public readonly code: string;
  public readonly statusCode: number;
  /**
   * For services with the awsQueryCompatible trait (SQS): the legacy query error code sent in
   * `x-amzn-query-error`, e.g. `AWS.SimpleQueueService.NonExistentQueue`. The SDK copies it to `error.Code`.
   */
  public readonly queryErrorCode: string | undefined;

  public constructor(code: string, message: string, options: { statusCode?: number; queryErrorCode?: string } = {}) {
    super(message);
    this.name = code;
    this.code = code;
    this.statusCode = options.statusCode ?? 400;
    this.queryErrorCode = options.queryErrorCode;
  }
}

export { AwsServiceError };
