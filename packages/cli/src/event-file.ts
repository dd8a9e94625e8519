import { checkJsonDepth } from '@dockmaster/core/limits';
import { EventBridgeEnvelopeSchema, type EventBridgeEnvelope } from '@dockmaster/core/events/envelope';
import { UsageError } from './errors.js';
import { readUserJson } from './io.js';

/** The envelope fields every EventBridge event carries, in the order EventBridge writes them. */
const ENVELOPE_FIELDS = ['version', 'id', 'detail-type', 'source', 'account', 'time', 'region', 'resources', 'detail'] as const;

/**
 * Reads an event file, refusing what EventBridge itself would never deliver: JSON nested deeper than
 * PutEvents processes (before anything recursive walks it).
 */
const readEventJson = (path: string): unknown => {
  const event = readUserJson(path, 'event');
  const depth = checkJsonDepth(event);
  if (!depth.ok) throw new UsageError(`${path} is not an event EventBridge accepts: it is ${depth.reason}`);
  return event;
};

const describeNonObject = (value: unknown): string => (Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`);

/**
 * Reads an event file that must be a whole EventBridge event. A file that is not one at all (a CloudTrail
 * record, a detail object) gets one line naming the missing envelope fields; an event with a malformed
 * field gets the field and the problem.
 */
const readEventBridgeEvent = (path: string): EventBridgeEnvelope => {
  const event = readEventJson(path);
  if (typeof event !== 'object' || event === null || Array.isArray(event)) {
    throw new UsageError(`${path} is not an EventBridge event: it is ${describeNonObject(event)}, not an object with ${ENVELOPE_FIELDS.join(', ')}`);
  }
  const missing = ENVELOPE_FIELDS.filter((field) => !Object.hasOwn(event, field));
  if (missing.length > 0) {
    throw new UsageError(
      `${path} is not an EventBridge event (no ${missing.join(', ')}); give the event as EventBridge delivers it, with ${ENVELOPE_FIELDS.join(', ')}`,
    );
  }
  const envelope = EventBridgeEnvelopeSchema.safeParse(event);
  if (!envelope.success) {
    const problems = envelope.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new UsageError(`${path} is not a valid EventBridge event: ${problems.join('; ')}`);
  }
  return event as EventBridgeEnvelope;
};

export { readEventBridgeEvent, readEventJson };
