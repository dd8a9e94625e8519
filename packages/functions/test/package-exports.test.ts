import { AUTOMATION_IDS } from '@dockmaster/core/constants';
import { describe, expect, it } from 'vitest';

/*
 * The package's public subpaths, as tests elsewhere in the repository import them instead of reaching into
 * src/: one module per worker under ./handlers/*, the adapters, and the test factories under ./testing.
 */
describe('@dockmaster/functions exports', () => {
  it.each(AUTOMATION_IDS)('./handlers/%s gives the Lambda entry point and its factory', async (id) => {
    // Prepare / Act
    const module = (await import(`@dockmaster/functions/handlers/${id}`)) as Record<string, unknown>;

    // Assess
    expect(typeof module['handler']).toBe('function');
    expect(Object.keys(module).filter((name) => /^create\w+Handler$/.test(name) && typeof module[name] === 'function')).toHaveLength(1);
  });

  it('./adapters gives the dead-letter queue and the repository lock the reliability tests build', async () => {
    const adapters = await import('@dockmaster/functions/adapters');

    expect(typeof adapters.createSqsDeadLetterQueue).toBe('function');
    expect(typeof adapters.createDynamoDbRepositoryLock).toBe('function');
    expect(typeof adapters.leaseId).toBe('function');
  });

  it('./testing gives the test factories', async () => {
    const testing = await import('@dockmaster/functions/testing');

    const record = testing.sqsRecordFactory({ detail: {} });
    expect(JSON.parse(record.body)).toEqual({ detail: {} });
    expect(typeof testing.awsSampleEvent('ecr-image-action-push-success.json')).toBe('object');
    expect(typeof testing.exampleConfig).toBe('function');
  });
});
