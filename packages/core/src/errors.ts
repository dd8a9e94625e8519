/**
 * A problem the user can fix (bad config, bad reference, bad input file), as opposed to a bug.
 * Commands print its message without a stack trace; workers send the record to the DLQ with it.
 */
class UserFacingError extends Error {
  public readonly code: string;

  public constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'UserFacingError';
    this.code = code;
  }
}

export { UserFacingError };
