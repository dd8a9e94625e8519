/*
 * `npm run bench:scale`: the reconcile sweep over 10,000 cache repositories, a burst of 2,000 push events, and
 * the cost per million events, against the local stack with the production workers and ECR's request rates.
 * Not part of `npm test`; heavy (run it only for a figure, and say the machine's load with it).
 * Options: --repositories N --drifted D --events E --burst-repositories R (defaults: the issue's sizes),
 * --tag-policy-environments K (default 5, Lambda's initial SQS concurrency).
 */
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { runScaleBench } from './scale-bench.js';

const { values } = parseArgs({
  options: {
    repositories: { type: 'string', default: '10000' },
    drifted: { type: 'string', default: '300' },
    events: { type: 'string', default: '2000' },
    'burst-repositories': { type: 'string', default: '200' },
    'tag-policy-environments': { type: 'string', default: '5' },
  },
});

const count = (name: string, text: string): number => {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer, got ${text}`);
  return value;
};

const result = await runScaleBench({
  sweepRepositories: count('repositories', values.repositories),
  drifted: count('drifted', values.drifted),
  burstEvents: count('events', values.events),
  burstRepositories: count('burst-repositories', values['burst-repositories']),
  tagPolicyEnvironments: count('tag-policy-environments', values['tag-policy-environments']),
  progress: (line) => console.error(line),
});

console.log(`machine: ${cpus().length} CPU(s), node ${process.version}, load average at start | after sweep | after burst | after cost phase: ${result.load}`);
console.log(`sweep detail: ${JSON.stringify(result.sweep.byKind)}; written but already right: ${result.sweep.writtenButRight}; still drifted after: ${result.sweep.stillDrifted}`);
const upper = result.concurrentTagPolicyCost;
console.log(
  `cost detail: tag-policy priced from the cost phase (the same ${result.costBurst.events} events, one batch at a time, all done in ${result.costBurst.seconds.toFixed(1)} s); ` +
    `from the concurrent burst's durations (five environments sharing one event loop) it would be $${upper.perMillion.toFixed(3)} (${upper.msPerInvocation.toFixed(0)} ms per invocation of ${upper.recordsPerInvocation.toFixed(1)} records), an upper bound`,
);
const ms = (value: number): string => `${Math.round(value)} ms`;
console.log(
  `burst detail: ${result.burst.violating} violating tags over ${result.burst.repositories} repositories, ${result.burst.done} done, max ${ms(result.burst.maxMs)}, all done in ${result.burst.seconds.toFixed(1)} s ` +
    `(${(result.burst.done / result.burst.seconds).toFixed(0)} events/s, this process's CPU ${(result.burst.processCpuMs / result.burst.events).toFixed(2)} ms per event); waiting for a worker p50 ${ms(result.burst.queuedP50Ms)} p99 ${ms(result.burst.queuedP99Ms)}, ` +
    `received to settled p50 ${ms(result.burst.invocationP50Ms)} p99 ${ms(result.burst.invocationP99Ms)}; one batch at a time (cost phase): all done in ${result.costBurst.seconds.toFixed(1)} s, ` +
    `p50 ${ms(result.costBurst.p50Ms)} p99 ${ms(result.costBurst.p99Ms)}`,
);
console.log(`ECR requests (admitted/throttled): ${Object.entries(result.throttled).map(([action, counts]) => `${action} ${counts.allowed}/${counts.throttled}`).join(', ')}`);
for (const line of result.lines) console.log(line);
