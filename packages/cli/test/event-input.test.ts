/* explain and test-pattern on input EventBridge would never deliver: not an event, or nested too deep. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EXAMPLE_CONFIG, runCli, sampleEvent, scratch } from './support/cli.js';

const write = scratch('event-input');

/** A real ECR push event whose detail carries a chain of `depth` nested objects. */
const deepPush = (depth: number): string => {
  const push = JSON.parse(readFileSync(sampleEvent('ecr-image-action-push-success.json'), 'utf8')) as Record<string, unknown>;
  const chain = `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
  const text = JSON.stringify({ ...push, detail: { ...(push['detail'] as object), nested: '@' } }).replace('"@"', chain);
  return write(`push-${depth}.json`, text);
};

describe('dockmaster explain on input that is not an EventBridge event', () => {
  it('says in one line which envelope fields a non-event lacks', async () => {
    // Prepare
    const detailOnly = write('detail-only.json', { 'action-type': 'PUSH', 'repository-name': 'prod/api' });

    // Act
    const result = await runCli(['explain', '--config', EXAMPLE_CONFIG, detailOnly]);

    // Assess
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `dockmaster explain: ${detailOnly} is not an EventBridge event (no version, id, detail-type, source, account, time, region, resources, detail); give the event as EventBridge delivers it, with version, id, detail-type, source, account, time, region, resources, detail`,
    );
  });

  it('names a JSON array as not an event', async () => {
    // Prepare
    const array = write('array.json', [1, 2]);

    // Act
    const result = await runCli(['explain', '--config', EXAMPLE_CONFIG, array]);

    // Assess
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('is not an EventBridge event: it is an array');
  });

  it('still names the field of an event whose envelope is malformed', async () => {
    // Prepare
    const push = JSON.parse(readFileSync(sampleEvent('ecr-image-action-push-success.json'), 'utf8')) as Record<string, unknown>;
    const badResources = write('bad-resources.json', { ...push, resources: 'arn:aws:ecr:us-east-1:1:repository/a' });

    // Act
    const result = await runCli(['explain', '--config', EXAMPLE_CONFIG, badResources]);

    // Assess
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('is not a valid EventBridge event: resources:');
  });
});

describe('events nested deeper than PutEvents processes', () => {
  it('explain refuses an event nested 5,000 deep with the limit, not an internal error', async () => {
    // Prepare
    const file = deepPush(5000);

    // Act
    const result = await runCli(['explain', '--config', EXAMPLE_CONFIG, file]);

    // Assess
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `dockmaster explain: ${file} is not an event EventBridge accepts: it is nested more than 1000 levels deep (EventBridge processes JSON nested up to 1000 levels)`,
    );
  });

  it('test-pattern refuses it the same way', async () => {
    // Prepare
    const file = deepPush(5000);
    const pattern = write('pattern.json', { source: ['aws.ecr'] });

    // Act
    const result = await runCli(['test-pattern', pattern, file]);

    // Assess
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('nested more than 1000 levels deep');
  });

  it('explain still routes an event nested within the limit', async () => {
    // Prepare: the event object, detail, `nested` and its chain: 997 + 2 levels.
    const file = deepPush(997);

    // Act
    const result = await runCli(['explain', '--config', EXAMPLE_CONFIG, file]);

    // Assess
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ jobs: [] });
  });
});
