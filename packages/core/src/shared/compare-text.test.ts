import { describe, expect, it } from 'vitest';
import { compareText } from './compare-text.js';

describe('compareText', () => {
  it('orders by code unit, upper case before lower case, whatever the locale', () => {
    // Act
    const sorted = ['b', 'a', 'B', 'ä', 'A'].sort(compareText);

    // Assess
    expect(sorted).toEqual(['A', 'B', 'a', 'b', 'ä']);
  });

  it('answers 0 for equal strings, so a chained comparator decides', () => {
    // Act
    const results = [compareText('x', 'x'), compareText('x', 'y'), compareText('y', 'x')];

    // Assess
    expect(results).toEqual([0, -1, 1]);
  });
});
