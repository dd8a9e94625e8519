import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readBodyUpTo } from './read-body.js';

describe('readBodyUpTo', () => {
  it('joins string and byte chunks up to the limit, inclusive', async () => {
    // Prepare
    const body = Readable.from(['ab', Buffer.from('cd'), 'e']);

    // Act
    const read = await readBodyUpTo(body, 5);

    // Assess
    expect(read?.toString('utf8')).toBe('abcde');
  });

  it('gives up past the limit and stops reading the stream', async () => {
    // Prepare
    let produced = 0;
    const body = Readable.from(
      (function* chunks() {
        for (;;) {
          produced += 1;
          yield Buffer.alloc(1024);
        }
      })(),
    );

    // Act
    const read = await readBodyUpTo(body, 4096);

    // Assess
    expect(read).toBeUndefined();
    expect(body.destroyed).toBe(true);
    expect(produced).toBeLessThan(64);
  });
});
