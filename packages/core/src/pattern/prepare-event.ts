import { UserFacingError } from '../errors.js';
import { checkJsonDepth } from '../limits/index.js';
import { hasDottedName, nestEventFields } from './dotted-paths.js';

/** Thrown for an event EventBridge itself would refuse (PutEvents), before the matcher walks it. */
class InvalidEventError extends UserFacingError {
  public constructor(reason: string) {
    super('InvalidEvent', `the event is not one EventBridge accepts: it is ${reason}`);
    this.name = 'InvalidEventError';
  }
}

/**
 * The event as the matcher walks it: depth-checked (so no recursive walk can overflow the stack) and with
 * dotted field names nested, as EventBridge joins path names with '.'.
 * @throws InvalidEventError when the event is nested deeper than EventBridge processes.
 */
const prepareEvent = (event: unknown): unknown => {
  const depth = checkJsonDepth(event);
  if (!depth.ok) throw new InvalidEventError(depth.reason);
  return hasDottedName(event) ? nestEventFields(event) : event;
};

export { InvalidEventError, prepareEvent };
