import { describe, expect, it } from 'vitest';
import { loadConfig } from './load.js';
import { CONFIG_MAX_BYTES, configMarker, formatConfigMarker, parseConfigMarker } from './stored-config.js';

const VALID = 'version: 1\nregistry:\n  accountId: "111122223333"\n  region: eu-central-1\n';

describe('the configuration size limit (one fact for validate, npm start and deploy)', () => {
  it('refuses text over CONFIG_MAX_BYTES before parsing it: the only issue is the size, not the broken YAML inside', () => {
    // Prepare: valid start, then an unclosed flow sequence the parser would report
    const text = `${VALID}teams: [${'"a", '.repeat(CONFIG_MAX_BYTES / 5)}\n`;

    // Act
    const result = loadConfig(text, 'big.yaml');

    // Assess
    expect(result.ok).toBe(false);
    expect(!result.ok && result.issues).toEqual([
      expect.objectContaining({ file: 'big.yaml', line: 1, column: 1, message: expect.stringMatching(new RegExp(`^the file is ${Buffer.byteLength(text)} bytes, more than the ${CONFIG_MAX_BYTES} bytes \\(256 KiB\\)`)) }),
    ]);
  });

  it('counts bytes, not characters: multi-byte text at the limit in characters is over it in bytes', () => {
    // Prepare
    const comment = `# ${'é'.repeat((CONFIG_MAX_BYTES - VALID.length) / 2)}\n`;

    // Act
    const result = loadConfig(VALID + comment, 'accents.yaml');

    // Assess
    expect((VALID + comment).length).toBeLessThan(CONFIG_MAX_BYTES);
    expect(!result.ok && result.issues[0]?.message).toMatch(/^the file is \d+ bytes, more than/);
  });

  it('accepts a configuration just under the limit', () => {
    // Prepare
    const text = `${VALID}# ${'x'.repeat(CONFIG_MAX_BYTES - VALID.length - 4)}\n`;

    // Act
    const result = loadConfig(text, 'edge.yaml');

    // Assess
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(CONFIG_MAX_BYTES);
    expect(result.ok).toBe(true);
  });
});

describe('the config marker', () => {
  it('names the stored content by sha256 and size, and reads back; anything else is no marker', () => {
    // Act
    const marker = configMarker('{"version":1}');

    // Assess (the hash as `printf '{"version":1}' | sha256sum` prints it)
    expect(marker).toEqual({ sha256: '2430f1a2ad2982d0067885488a4c89e21ad1d7c83b115ba8f1b20acc88dfaea8', bytes: 13 });
    expect(parseConfigMarker(formatConfigMarker(marker))).toEqual(marker);
    expect(parseConfigMarker('version: 1\n')).toBeUndefined();
    expect(parseConfigMarker('{"version":1}')).toBeUndefined();
  });
});
