import { describe, expect, it } from 'vitest';
import { checkJsonDepth, checkJsonTextDepth, EventBridgeLimit, utf8Bytes } from './index.js';

const nestedText = (depth: number): string => `${'{"a":'.repeat(depth - 1)}{"b":"x"}${'}'.repeat(depth - 1)}`;

describe('checkJsonDepth and checkJsonTextDepth', () => {
  it.each([
    { name: 'a scalar', text: '"x"', depth: 0 },
    { name: 'an empty object', text: '{}', depth: 1 },
    { name: 'arrays count as levels', text: '[[1],[[2]]]', depth: 3 },
    { name: 'brackets inside strings do not count', text: '{"a":"[[[{{{","b\\\\":["]\\\\", "\\"["]}', depth: 2 },
    { name: 'exactly the limit', text: nestedText(EventBridgeLimit.JSON_DEPTH), depth: 1000 },
  ])('measures $name', ({ text, depth }) => {
    // Act
    const parsed = checkJsonDepth(JSON.parse(text));
    const raw = checkJsonTextDepth(text);

    // Assess
    expect(parsed).toEqual({ ok: true, depth });
    expect(raw).toEqual({ ok: true, depth });
  });

  it('stops at the first level past the limit, on parsed JSON and on text alike', () => {
    // Prepare
    const text = nestedText(5000);

    // Act
    const parsed = checkJsonDepth(JSON.parse(text));
    const raw = checkJsonTextDepth(text);

    // Assess
    const reason = 'nested more than 1000 levels deep (EventBridge processes JSON nested up to 1000 levels)';
    expect(parsed).toEqual({ ok: false, depth: 1001, reason });
    expect(raw).toEqual({ ok: false, depth: 1001, reason });
  });

  it('counts UTF-8 bytes, as EventBridge sizes entries', () => {
    // Act
    const sizes = [utf8Bytes('abc'), utf8Bytes('é'), utf8Bytes('😀')];

    // Assess
    expect(sizes).toEqual([3, 2, 4]);
  });
});
