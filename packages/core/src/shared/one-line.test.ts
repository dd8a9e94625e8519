import { describe, expect, it } from 'vitest';
import { collapseToOneLine, escapeLineBreaks } from './one-line.js';

describe('collapseToOneLine', () => {
  it('turns each run of whitespace and control characters into one space, keeping outer spaces', () => {
    // Act
    const collapsed = collapseToOneLine(' repo:tag\r\n\tInjected:\u001b[31m header\u0000 ');

    // Assess
    expect(collapsed).toBe(' repo:tag Injected: [31m header ');
  });

  it('leaves a line without breaks or control characters as it is', () => {
    // Act
    const collapsed = collapseToOneLine('[TAG POLICY] prod/api:1.0 — violates "x"');

    // Assess
    expect(collapsed).toBe('[TAG POLICY] prod/api:1.0 — violates "x"');
  });
});

describe('escapeLineBreaks', () => {
  it('shows every kind of line break as a literal \\n', () => {
    // Act
    const escaped = escapeLineBreaks('a\nb\r\nc\rd');

    // Assess
    expect(escaped).toBe('a\\nb\\nc\\nd');
  });
});
