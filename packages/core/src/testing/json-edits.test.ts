import { describe, expect, it } from 'vitest';
import { applyTextEdits, jsonPaths, withValueAt } from './json-edits.js';

describe('jsonPaths', () => {
  it('lists the root, then every key and index depth first', () => {
    // Act
    const paths = jsonPaths({ a: [1, { b: null }], c: 'x' });

    // Assess
    expect(paths).toEqual([[], ['a'], ['a', 0], ['a', 1], ['a', 1, 'b'], ['c']]);
  });
});

describe('withValueAt', () => {
  it('replaces one value in a copy and leaves the original as it was', () => {
    // Prepare
    const root = { a: [1, { b: null }] };

    // Act
    const changed = withValueAt<unknown>(root, ['a', 1, 'b'], 'set');

    // Assess
    expect([changed, root]).toEqual([{ a: [1, { b: 'set' }] }, { a: [1, { b: null }] }]);
  });

  it('removes the key for undefined, and turns the root into null', () => {
    // Act
    const results = [withValueAt<unknown>({ a: 1, b: 2 }, ['a'], undefined), withValueAt<unknown>({ a: 1 }, [], undefined)];

    // Assess
    expect(results).toEqual([{ b: 2 }, null]);
  });
});

describe('applyTextEdits', () => {
  it('applies each edit to the result of the one before, positions wrapping around the length', () => {
    // Act
    const edited = applyTextEdits('abcdef', [
      { at: 1, remove: 2, insert: 'X' },
      { at: 5 + 2, remove: 0, insert: '!' },
    ]);

    // Assess: 'aXdef', then 7 % 6 = 1.
    expect(edited).toBe('a!Xdef');
  });
});
