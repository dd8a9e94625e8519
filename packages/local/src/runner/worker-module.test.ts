import { afterEach, describe, expect, it } from 'vitest';
import { loadWorker, WORKERS_VARIABLE } from './worker-module.js';

const previous = process.env[WORKERS_VARIABLE];
afterEach(() => {
  if (previous === undefined) delete process.env[WORKERS_VARIABLE];
  else process.env[WORKERS_VARIABLE] = previous;
});

describe('loadWorker', () => {
  it('refuses a DOCKMASTER_WORKERS value it does not know, naming the two it takes', async () => {
    // Prepare
    process.env[WORKERS_VARIABLE] = 'bundle';

    // Act
    const loaded = await loadWorker('packages/functions/src/handlers/tag-policy.handler');

    // Assess
    expect(loaded).toEqual({ ok: false, file: 'packages/functions/src/handlers/tag-policy.handler', reason: 'DOCKMASTER_WORKERS=bundle: expected sources or bundled' });
  });
});
