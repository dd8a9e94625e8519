import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { EXAMPLE_CONFIG_PATH, exampleConfigText } from './example-config.js';

describe('exampleConfigText', () => {
  it('reads the documented example configuration', () => {
    // Act
    const text = exampleConfigText();

    // Assess
    expect(EXAMPLE_CONFIG_PATH.endsWith('docs/examples/dockmaster.example.yaml')).toBe(true);
    expect(Object.keys(parse(text) as object)).toContain('teams');
  });
});
