import { describe, expect, it } from 'vitest';
import { runScaleBench } from './scale-bench.js';

/*
 * The scale benchmark's code at a tiny size: the lines print in the documented shape and the counts add up.
 * No timing is asserted (figures come from `npm run bench:scale`, never from a test).
 */
describe('bench:scale at N = 50', () => {
  it('sweeps, bursts and prices with the production workers, and reports counts that add up', async () => {
    // Act
    const result = await runScaleBench({ sweepRepositories: 50, drifted: 8, burstEvents: 40, burstRepositories: 4 });

    // Assess: every drifted repository written and repaired, nothing else written; every event done.
    expect(result.sweep).toMatchObject({ repositories: 50, drifted: 8, written: 8, writtenButRight: 0, stillDrifted: 0 });
    expect(result.burst).toMatchObject({ events: 40, done: 40, lost: 0, deadLettered: 0, violating: 8 });
    // The cost phase replays the same mix, one batch at a time, and every event of it is processed too.
    expect(result.costBurst).toMatchObject({ events: 40, done: 40, lost: 0, deadLettered: 0, violating: 8 });
    expect(result.lines[0]).toMatch(/^sweep: 50 repositories, 8 drifted, 8 written, \d+\.\d s$/);
    expect(result.lines[1]).toMatch(/^burst: 40 events, 0 lost, 0 dead-lettered, p50 \d+ ms, p99 \d+ ms$/);
    expect(result.lines.slice(2)).toEqual([expect.stringMatching(/^cost: \$\d+\.\d+ per million events for tag-policy \(512 MB/), expect.stringMatching(/^cost: \$\d+\.\d+ per million events \(repositories swept\) for cache-repository \(256 MB/)]);
    // The throttle saw the sweep's reads (one policy read per repository at least).
    expect(result.throttled['GetRepositoryPolicy']?.allowed).toBeGreaterThanOrEqual(50);
  }, 60_000);
});
