import { AUTOMATION_IDS } from '@dockmaster/core/constants';
import { describe, expect, it } from 'vitest';

/*
 * The package's public subpaths, as tests elsewhere in the repository import them instead of reaching into
 * src/: one module per worker under ./handlers/*, one adapter under ./adapters/*, and the test factories under ./testing.
 */
describe('@dockmaster/functions exports', () => {
  it.each(AUTOMATION_IDS)('./handlers/%s gives the Lambda entry point and its factory', async (id) => {
    // Prepare / Act
    const module = (await import(`@dockmaster/functions/handlers/${id}`)) as Record<string, unknown>;

    // Assess
    expect(typeof module['handler']).toBe('function');
    expect(Object.keys(module).filter((name) => /^create\w+Handler$/.test(name) && typeof module[name] === 'function')).toHaveLength(1);
  });

  it('./adapters/* gives one adapter module, as the reliability tests build the dead-letter queue and the repository lock', async () => {
    const deadLetter = await import('@dockmaster/functions/adapters/dead-letter');
    const repositoryLock = await import('@dockmaster/functions/adapters/repository-lock');

    expect(typeof deadLetter.createSqsDeadLetterQueue).toBe('function');
    expect(typeof repositoryLock.createDynamoDbRepositoryLock).toBe('function');
    expect(typeof repositoryLock.leaseId).toBe('function');
  });

  it('./testing gives the test factories', async () => {
    const testing = await import('@dockmaster/functions/testing');

    const record = testing.sqsRecordFactory({ detail: {} });
    expect(JSON.parse(record.body)).toEqual({ detail: {} });
    expect(typeof testing.awsSampleEvent('ecr-image-action-push-success.json')).toBe('object');
    expect(typeof testing.exampleConfig).toBe('function');
  });
});
