import { describe, expect, it } from 'vitest';
import { errorMessage } from './error-message.js';

describe('errorMessage', () => {
  it("reads an Error's message without its name", () => {
    // Act
    const message = errorMessage(new TypeError('bad input'));

    // Assess
    expect(message).toBe('bad input');
  });

  it('turns anything else that was thrown into its text', () => {
    // Act
    const messages = [errorMessage('plain string'), errorMessage(42), errorMessage(undefined)];

    // Assess
    expect(messages).toEqual(['plain string', '42', 'undefined']);
  });
});
