import { UserFacingError } from '../errors.js';

/** Thrown for a pattern EventBridge would reject; the message mirrors EventBridge's "Event pattern is not valid". */
class InvalidEventPatternError extends UserFacingError {
  /** Where the pattern is wrong and how to fix it, without the "Event pattern is not valid" prefix. */
  public readonly reason: string;

  public constructor(reason: string) {
    super('InvalidEventPattern', `Event pattern is not valid: ${reason}`);
    this.name = 'InvalidEventPatternError';
    this.reason = reason;
  }
}

/**
 * Throws an {@link InvalidEventPatternError} located at `where`, the pattern path in dotted form
 * (`detail.$or[1].c-count`; empty for the top level).
 */
const rejectPattern = (where: string, problem: string): never => {
  throw new InvalidEventPatternError(`${where === '' ? 'at the top level' : `at "${where}"`}: ${problem}`);
};

export { InvalidEventPatternError, rejectPattern };
