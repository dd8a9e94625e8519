/*
 * The patterns of the EventBridge user guide's examples (eb-create-pattern-operators,
 * eb-event-patterns-arrays, eb-event-patterns-null-values, content filtering, "Considerations when creating
 * event patterns"), run against the guide's EC2 state-change sample event and a variant of it carrying the
 * numeric, IP and state fields those examples use; and the limits EventBridge documents (PutEvents depth).
 */
import { describe, expect, it } from 'vitest';
import { checkJsonDepth, EventBridgeLimit } from '../limits/index.js';
import { matchesEventPattern, validateEventPattern } from './event-pattern.js';
import { InvalidEventError } from './prepare-event.js';

const ec2StateChange = {
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '111122223333',
  time: '2017-12-22T18:43:48Z',
  region: 'us-west-1',
  resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'],
  detail: { 'instance-id': 'i-1234567890abcdef0', state: 'terminated' },
};

const counts = {
  ...ec2StateChange,
  time: '2017-10-02T18:43:48Z',
  detail: { state: 'running', 'c-count': 5, 'd-count': 3, 'x-limit': 301.8, sourceIPAddress: '10.0.0.123' },
};

describe('EventBridge user guide examples', () => {
  it.each([
    { name: 'source only', pattern: { source: ['aws.ec2'] }, event: ec2StateChange, expected: true },
    { name: 'source and detail-type', pattern: { source: ['aws.ec2'], 'detail-type': ['EC2 Instance State-change Notification'] }, event: ec2StateChange, expected: true },
    { name: 'state is one of', pattern: { detail: { state: ['running', 'stopped'] } }, event: ec2StateChange, expected: false },
    { name: 'prefix on time', pattern: { time: [{ prefix: '2017-10-02' }] }, event: counts, expected: true },
    { name: 'prefix on time, other day', pattern: { time: [{ prefix: '2017-10-02' }] }, event: ec2StateChange, expected: false },
    { name: 'prefix ignoring case', pattern: { detail: { state: [{ prefix: { 'equals-ignore-case': 'RUN' } }] } }, event: counts, expected: true },
    { name: 'equals-ignore-case on detail-type', pattern: { 'detail-type': [{ 'equals-ignore-case': 'ec2 instance state-change notification' }] }, event: ec2StateChange, expected: true },
    { name: 'anything-but initializing', pattern: { detail: { state: [{ 'anything-but': 'initializing' }] } }, event: ec2StateChange, expected: true },
    { name: 'anything-but list', pattern: { detail: { state: [{ 'anything-but': ['stopped', 'terminated'] }] } }, event: ec2StateChange, expected: false },
    { name: 'anything-but prefix', pattern: { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } }, event: counts, expected: true },
    { name: 'anything-but a list of prefixes, none matching', pattern: { detail: { state: [{ 'anything-but': { prefix: ['init', 'stop'] } }] } }, event: counts, expected: true },
    { name: 'anything-but a list of prefixes, one matching', pattern: { detail: { state: [{ 'anything-but': { prefix: ['init', 'run'] } }] } }, event: counts, expected: false },
    { name: 'anything-but a list of suffixes, one matching', pattern: { detail: { state: [{ 'anything-but': { suffix: ['ing', 'ed'] } }] } }, event: counts, expected: false },
    { name: 'anything-but a list of suffixes, none matching', pattern: { detail: { state: [{ 'anything-but': { suffix: ['ed', 'ping'] } }] } }, event: counts, expected: true },
    { name: 'wildcard on an ARN', pattern: { resources: [{ wildcard: 'arn:aws:ec2:*:instance/i-*' }] }, event: ec2StateChange, expected: true },
    { name: 'numeric range and equals', pattern: { detail: { 'c-count': [{ numeric: ['>', 0, '<=', 5] }], 'd-count': [{ numeric: ['<', 10] }], 'x-limit': [{ numeric: ['=', 3.018e2] }] } }, event: counts, expected: true },
    { name: 'numeric range not met', pattern: { detail: { 'c-count': [{ numeric: ['>', 5, '<=', 10] }] } }, event: counts, expected: false },
    { name: 'IP address in a range', pattern: { detail: { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] } }, event: counts, expected: true },
    { name: 'exists true', pattern: { detail: { state: [{ exists: true }] } }, event: ec2StateChange, expected: true },
    { name: 'exists false', pattern: { detail: { state: [{ exists: false }] } }, event: ec2StateChange, expected: false },
    {
      name: 'complex: several operators together',
      pattern: {
        time: [{ prefix: '2017-10-02' }],
        detail: { state: [{ 'anything-but': 'initializing' }], 'c-count': [{ numeric: ['>', 0, '<=', 5] }], 'd-count': [{ numeric: ['<', 10] }], 'x-limit': [{ 'anything-but': [100, 200, 300] }] },
      },
      event: counts,
      expected: true,
    },
    {
      name: '$or of numeric conditions',
      pattern: { detail: { $or: [{ 'c-count': [{ numeric: ['>', 10] }] }, { 'd-count': [{ numeric: ['<', 10] }] }, { 'x-limit': [{ numeric: ['=', 3.018e2] }] }] } },
      event: counts,
      expected: true,
    },
    {
      name: '$or with source and nested detail',
      pattern: { $or: [{ source: ['aws.s3'] }, { detail: { state: [{ 'anything-but': 'terminated' }] } }] },
      event: ec2StateChange,
      expected: false,
    },
  ])('$name', ({ pattern, event, expected }) => {
    // Act
    const matched = matchesEventPattern(pattern, event);

    // Assess
    expect(matched).toBe(expected);
  });

  it('matches event arrays when they share a value with the pattern list', () => {
    // Prepare
    const pattern = {
      resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f', 'arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f', 'arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f'],
    };
    const sharing = { resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f', 'arn:aws:ec2:us-east-1:123456789012:instance/i-other'] };
    const disjoint = { resources: ['arn:aws:ec2:us-east-1:999999999999:instance/i-b188560f'] };

    // Act
    const results = [sharing, disjoint, { resources: [] }].map((event) => matchesEventPattern(pattern, event));

    // Assess
    expect(results).toEqual([true, false, false]);
  });

  it('keeps null and the empty string apart', () => {
    // Prepare
    const nullPattern = { detail: { responseElements: [null] } };
    const emptyPattern = { detail: { eventVersion: [''] } };
    const event = { detail: { responseElements: null, eventVersion: '' } };
    const swapped = { detail: { responseElements: '', eventVersion: null } };

    // Act
    const results = [nullPattern, emptyPattern].flatMap((pattern) => [matchesEventPattern(pattern, event), matchesEventPattern(pattern, swapped)]);

    // Assess
    expect(results).toEqual([true, false, true, false]);
  });
});

describe('Considerations when creating event patterns: "." joins the names of a path', () => {
  const nested = { ...ec2StateChange, detail: { state: { status: 'running', reason: 'user' } } };
  const dotted = { ...ec2StateChange, detail: { 'state.status': 'running', 'state.reason': 'user' } };

  it.each([
    { name: 'dotted pattern, nested event', pattern: { detail: { 'state.status': ['running'] } }, event: nested, expected: true },
    { name: 'nested pattern, dotted event', pattern: { detail: { state: { status: ['running'] } } }, event: dotted, expected: true },
    { name: 'dotted pattern, dotted event', pattern: { 'detail.state.status': ['running'] }, event: dotted, expected: true },
    { name: 'dotted pattern, other value', pattern: { detail: { 'state.status': ['stopped'] } }, event: nested, expected: false },
    { name: 'dotted and nested fields of one object together', pattern: { detail: { 'state.status': ['running'], state: { reason: ['user'] } } }, event: dotted, expected: true },
    { name: 'exists false on a dotted event field', pattern: { detail: { state: { status: [{ exists: false }] } } }, event: dotted, expected: false },
    { name: 'the last of two patterns for one field wins', pattern: { detail: { state: { status: ['stopped'] }, 'state.status': ['running'] } }, event: nested, expected: true },
    { name: 'a value and nested fields at one joined path', pattern: { a: ['x'], 'a.b': ['y'] }, event: { a: 'x', 'a.b': 'y' }, expected: true },
  ])('$name', ({ pattern, event, expected }) => {
    // Act
    const matched = matchesEventPattern(pattern, event);

    // Assess
    expect(matched).toBe(expected);
  });

  it('keeps array consistency for a dotted name beside an array of objects', () => {
    // Prepare
    const event = { detail: { items: [{ id: 'a', size: 1 }, { id: 'b', size: 2 }], 'items.owner': 'team' } };

    // Act
    const results = [
      matchesEventPattern({ detail: { items: { id: ['a'], size: [1], owner: ['team'] } } }, event),
      matchesEventPattern({ detail: { items: { id: ['a'], size: [2] } } }, event),
    ];

    // Assess
    expect(results).toEqual([true, false]);
  });
});

describe('the wildcard complexity EventBridge accepts', () => {
  it.each([
    { wildcard: '*:*:*:*:*:event-bus/*', ok: false },
    { wildcard: '*:*:*:*:event-bus/*', ok: true },
    { wildcard: 'arn:aws:events:us-east-1:*:event-bus/*', ok: true },
    { wildcard: '*/lib/*', ok: true },
    { wildcard: 'dir/*.png', ok: true },
  ])('$wildcard is accepted: $ok', ({ wildcard, ok }) => {
    // Act
    const check = validateEventPattern({ EventBusArn: [{ wildcard }] });

    // Assess
    expect(check.ok).toBe(ok);
  });
});

describe('the nesting depth PutEvents processes', () => {
  const nestedEvent = (depth: number): unknown => {
    // The event object is level 1; `detail` and each `a` inside it add one.
    let inner: unknown = 'leaf';
    for (let level = 2; level < depth; level += 1) inner = { a: inner };
    return { source: 'aws.ec2', detail: { a: inner } };
  };

  it('matches an event nested exactly as deep as EventBridge processes', () => {
    // Prepare
    const event = nestedEvent(EventBridgeLimit.JSON_DEPTH);

    // Act
    const matched = matchesEventPattern({ source: ['aws.ec2'], detail: { b: [{ exists: false }] } }, event);

    // Assess
    expect(checkJsonDepth(event)).toEqual({ ok: true, depth: EventBridgeLimit.JSON_DEPTH });
    expect(matched).toBe(true);
  });

  it('rejects an event nested 5,000 deep with a clear error instead of overflowing the stack', () => {
    // Prepare
    const event = nestedEvent(5000);

    // Act
    const thrown = (() => {
      try {
        matchesEventPattern({ source: ['aws.ec2'], detail: { b: [{ exists: false }] } }, event);
        return undefined;
      } catch (error) {
        return error;
      }
    })();

    // Assess
    expect(thrown).toBeInstanceOf(InvalidEventError);
    expect((thrown as Error).message).toBe(
      'the event is not one EventBridge accepts: it is nested more than 1000 levels deep (EventBridge processes JSON nested up to 1000 levels)',
    );
  });
});
