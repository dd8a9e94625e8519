import { describe, expect, it } from 'vitest';
import { parseWwwAuthenticate } from './www-authenticate.js';

describe('parseWwwAuthenticate', () => {
  it('reads a Docker/ECR Bearer challenge with quoted scope containing commas and colons', () => {
    // Act
    const challenges = parseWwwAuthenticate('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull,push"');

    // Assess
    expect(challenges).toEqual([
      { scheme: 'bearer', params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/nginx:pull,push' } },
    ]);
  });

  it('reads several challenges, unquoted values, escapes and spaces around "="', () => {
    // Act
    const challenges = parseWwwAuthenticate('Basic realm="My \\"Registry\\"", Bearer realm = https://auth.example/token, error="insufficient_scope"');

    // Assess
    expect(challenges).toEqual([
      { scheme: 'basic', params: { realm: 'My "Registry"' } },
      { scheme: 'bearer', params: { realm: 'https://auth.example/token', error: 'insufficient_scope' } },
    ]);
  });

  it('returns no challenge for a missing or empty header', () => {
    // Act
    const results = [parseWwwAuthenticate(null), parseWwwAuthenticate(undefined), parseWwwAuthenticate('')];

    // Assess
    expect(results).toEqual([[], [], []]);
  });
});
