import { UserFacingError } from '@dockmaster/core/errors';

/** Wrong arguments or unreadable input: exit 2 with the message and a hint, never a stack trace. */
class UsageError extends UserFacingError {
  public constructor(message: string, options?: ErrorOptions) {
    super('Usage', message, options);
    this.name = 'UsageError';
  }
}

export { UsageError };
