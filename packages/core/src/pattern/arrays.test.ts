import { describe, expect, it } from 'vitest';
import { matchesEventPattern } from './event-pattern.js';

describe('arrays in events', () => {
  it('matches a scalar array when any element matches any operator', () => {
    // Prepare
    const pattern = { 'image-tags': [{ prefix: 'v1.' }] };

    // Act
    const results = [['latest', 'v1.2'], ['latest'], [], [['nested', 'v1.9']]].map((tags) => matchesEventPattern(pattern, { 'image-tags': tags }));

    // Assess
    expect(results).toEqual([true, false, false, true]);
  });

  it('lets anything-but match an array holding at least one other value', () => {
    // Prepare
    const pattern = { tags: [{ 'anything-but': 'latest' }] };

    // Act
    const results = [['latest', 'v1'], ['latest'], []].map((tags) => matchesEventPattern(pattern, { tags }));

    // Assess
    expect(results).toEqual([true, false, false]);
  });

  it('matches a nested pattern against any element of an array of objects, including nested arrays', () => {
    // Prepare
    const pattern = { items: { name: ['b'] } };

    // Act
    const results = [
      { items: [{ name: 'a' }, { name: 'b' }] },
      { items: [{ name: 'a' }] },
      { items: [[{ name: 'c' }], [{ name: 'b' }]] },
      { items: ['b'] },
    ].map((event) => matchesEventPattern(pattern, event));

    // Assess
    expect(results).toEqual([true, false, true, false]);
  });

  it('takes all fields from the same element, at every nesting level', () => {
    // Prepare
    const pattern = { a: { b: { c: ['1'] }, d: ['2'] } };

    // Act
    const sameElement = matchesEventPattern(pattern, { a: [{ b: { c: '1' }, d: '1' }, { b: [{ c: '2' }, { c: '1' }], d: '2' }] });
    const splitElements = matchesEventPattern(pattern, { a: [{ b: { c: '1' }, d: '1' }, { b: { c: '2' }, d: '2' }] });

    // Assess
    expect([sameElement, splitElements]).toEqual([true, false]);
  });

  it('evaluates each $or branch within one element', () => {
    // Prepare
    const pattern = { repositories: { 'scan-frequency': ['CONTINUOUS_SCAN'], $or: [{ name: ['a'] }, { name: ['b'] }] } };

    // Act
    const inOneElement = matchesEventPattern(pattern, { repositories: [{ name: 'a', 'scan-frequency': 'MANUAL' }, { name: 'b', 'scan-frequency': 'CONTINUOUS_SCAN' }] });
    const spread = matchesEventPattern(pattern, { repositories: [{ name: 'a', 'scan-frequency': 'MANUAL' }, { name: 'c', 'scan-frequency': 'CONTINUOUS_SCAN' }] });

    // Assess
    expect([inOneElement, spread]).toEqual([true, false]);
  });

  it('decides exists false on the whole event path, across all elements', () => {
    // Prepare
    const pattern = { items: { error: [{ exists: false }] } };

    // Act
    const results = [
      { items: [{ name: 'a' }, { name: 'b' }] },
      { items: [{ name: 'a' }, { name: 'b', error: 'x' }] },
      { items: [] },
      { items: 'scalar' },
      {},
      { items: [{ error: { code: 1 } }] },
    ].map((event) => matchesEventPattern(pattern, event));

    // Assess
    expect(results).toEqual([true, false, true, true, true, true]);
  });

  it('does not match a leaf list against a field that only holds objects', () => {
    // Prepare
    const pattern = { detail: ['x'] };

    // Act
    const results = [{ detail: { x: 'x' } }, { detail: [{ y: 'x' }, 'x'] }].map((event) => matchesEventPattern(pattern, event));

    // Assess
    expect(results).toEqual([false, true]);
  });
});
