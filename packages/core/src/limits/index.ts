/*
 * EventBridge's own limits on events and patterns, declared once: validate (CLI), the matcher (core), the
 * local bus and the workers all bound their input with these numbers, so nothing Dockmaster accepts could be
 * refused by EventBridge and nothing hostile (a 5,000-deep event) reaches a recursive walk.
 */

const EventBridgeLimit = {
  /** PutEvents: an entry (Source, DetailType, Detail, Resources, Time) is at most 256 KB (EventBridge API reference). */
  EVENT_ENTRY_BYTES: 262_144,
  /** PutEvents only processes nested JSON up to 1000 levels deep (EventBridge API reference, PutEvents). */
  JSON_DEPTH: 1000,
  /** PutRule / TestEventPattern: EventPattern is at most 4096 characters (the default "Event pattern size" quota is 2048). */
  PATTERN_LENGTH: 4096,
  /** The default "Event pattern size" quota, which the 4096 above needs raised. */
  PATTERN_LENGTH_DEFAULT_QUOTA: 2048,
  /**
   * EventBridge rejects a wildcard pattern as "too complex" when matching one value could keep more than this
   * many wildcard states alive at once (e.g. `*:*:*:*:*:event-bus/*`). EventBridge-GUESS: the documented
   * behaviour is the rejection; the threshold is the one AWS's open-source matcher (event-ruler) applies.
   */
  WILDCARD_COMPLEXITY: 10,
} as const;
type EventBridgeLimit = (typeof EventBridgeLimit)[keyof typeof EventBridgeLimit];

const DynamoDbLimit = {
  /** An item (attribute names and values, UTF-8) is at most 400 KB (DynamoDB developer guide, "Service, account, and table quotas"). */
  ITEM_BYTES: 409_600,
} as const;
type DynamoDbLimit = (typeof DynamoDbLimit)[keyof typeof DynamoDbLimit];

/**
 * Bytes one event Dockmaster itself emits may take, for the workers that save the events of one record with their
 * state before sending them (scan-alert's outbox): two such events fit in one PutEvents entry budget, and with the
 * state beside them, in one DynamoDB item. An event over it is cut (lists first), never dropped.
 */
const EMITTED_EVENT_BYTES = EventBridgeLimit.EVENT_ENTRY_BYTES / 2;

/**
 * The outcome of {@link checkJsonDepth}: `depth` is the nesting reached, counted until the limit is passed;
 * `reason` reads after a subject ("the event is nested more than 1000 levels deep (...)").
 */
type DepthCheck = { ok: true; depth: number } | { ok: false; depth: number; reason: string };

const tooDeep = (limit: number): string => `nested more than ${limit} levels deep (EventBridge processes JSON nested up to ${limit} levels)`;

const isContainer = (value: unknown): value is object => typeof value === 'object' && value !== null;

/**
 * Nesting depth of parsed JSON (a scalar is 0, `{}` and `[]` are 1), walked with an explicit stack so a
 * hostile input cannot overflow the call stack; stops as soon as `limit` is passed.
 */
const checkJsonDepth = (value: unknown, limit: number = EventBridgeLimit.JSON_DEPTH): DepthCheck => {
  const stack: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
  let deepest = 0;
  while (stack.length > 0) {
    const { value: node, depth } = stack.pop() as { value: unknown; depth: number };
    if (!isContainer(node)) continue;
    const level = depth + 1;
    if (level > limit) {
      return { ok: false, depth: level, reason: tooDeep(limit) };
    }
    deepest = Math.max(deepest, level);
    for (const child of Object.values(node)) if (isContainer(child)) stack.push({ value: child, depth: level });
  }
  return { ok: true, depth: deepest };
};

/**
 * Nesting depth of JSON text, without parsing it (brackets outside strings), so a worker can refuse a hostile
 * body before building it in memory. Stops as soon as `limit` is passed.
 */
const checkJsonTextDepth = (text: string, limit: number = EventBridgeLimit.JSON_DEPTH): DepthCheck => {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text.charCodeAt(index);
    if (inString) {
      if (char === 0x5c) index += 1; // backslash: skip the escaped character
      else if (char === 0x22) inString = false;
    } else if (char === 0x22) {
      inString = true;
    } else if (char === 0x7b || char === 0x5b) {
      depth += 1;
      if (depth > limit) {
        return { ok: false, depth, reason: tooDeep(limit) };
      }
      deepest = Math.max(deepest, depth);
    } else if (char === 0x7d || char === 0x5d) {
      depth -= 1;
    }
  }
  return { ok: true, depth: deepest };
};

/** UTF-8 size of a text, as EventBridge counts its entry sizes. */
const utf8Bytes = (text: string): number => new TextEncoder().encode(text).length;

export { checkJsonDepth, checkJsonTextDepth, DynamoDbLimit, EMITTED_EVENT_BYTES, EventBridgeLimit, utf8Bytes };
export type { DepthCheck };
