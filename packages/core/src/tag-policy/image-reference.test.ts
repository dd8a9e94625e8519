import { describe, expect, it } from 'vitest';
import { UserFacingError } from '../errors.js';
import { parseImageReference } from './image-reference.js';

describe('parseImageReference', () => {
  it.each([
    ['prod/api:1.4.2', { repository: 'prod/api', tag: '1.4.2' }],
    ['team/sub/app:latest', { repository: 'team/sub/app', tag: 'latest' }],
    ['my.repo_name:v1', { repository: 'my.repo_name', tag: 'v1' }],
  ])('parses %s', (ref, expected) => {
    // Act
    const parsed = parseImageReference(ref);

    // Assess
    expect(parsed).toEqual(expected);
  });

  it.each([
    ['prod/api@sha256:0123', /digest/],
    ['prod/api', /tag is missing/],
    ['prod/api:', /tag "" must be/],
    ['Prod/API:1.0.0', /repository "Prod\/API"/],
    ['localhost:5000/prod/api:1.0.0', /registry host/],
    ['111122223333.dkr.ecr.eu-central-1.amazonaws.com/prod/api:1.0.0', /registry host/],
    ['prod/api:-bad', /tag "-bad"/],
  ])('rejects %s with a message that says how to fix it', (ref, problem) => {
    // Act
    const attempt = () => parseImageReference(ref);

    // Assess
    expect(attempt).toThrow(UserFacingError);
    expect(attempt).toThrow(problem);
    expect(attempt).toThrow(/<repository>:<tag>/);
  });

  it('uses the error code InvalidReference', () => {
    // Act
    let code: string | undefined;
    try {
      parseImageReference('prod/api');
    } catch (error) {
      code = error instanceof UserFacingError ? error.code : undefined;
    }

    // Assess
    expect(code).toBe('InvalidReference');
  });
});
