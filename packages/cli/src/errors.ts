import { UserFacingError } from '@dockmaster/core/errors';
import { ExitCode, INVALID_CONFIG_ERROR_CODES } from './constants.js';

/** Wrong arguments or unreadable input: exit 2 with the message and a hint, never a stack trace. */
class UsageError extends UserFacingError {
  public constructor(message: string, options?: ErrorOptions) {
    super('Usage', message, options);
    this.name = 'UsageError';
  }
}

/** A configuration that was read and judged invalid: exit 1, as `validate` exits for it. */
class InvalidConfigError extends UserFacingError {
  public constructor(message: string, options?: ErrorOptions) {
    super('CONFIG_INVALID', message, options);
    this.name = 'InvalidConfigError';
  }
}

/** The exit code for an error a command threw: the table's row for it (constants.ts). */
const exitCodeFor = (error: unknown): ExitCode => {
  if (!(error instanceof UserFacingError)) return ExitCode.Internal;
  return INVALID_CONFIG_ERROR_CODES.includes(error.code) ? ExitCode.Failed : ExitCode.Usage;
};

export { exitCodeFor, InvalidConfigError, UsageError };
