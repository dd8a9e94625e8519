import { UserFacingError } from '@dockmaster/core/errors';
import { ControlClient, defaultStateDir, isProcessAlive, readState } from '../control/index.js';
import { renderSummaryTable, runDemoScenario } from './scenario.js';

/*
 * `npm run demo`: the scripted scenario against the RUNNING local stack (start it with `npm start` in another
 * terminal, or `dockmaster local up --detach`). Exit 0 when every step behaved as expected.
 */
const main = async (): Promise<number> => {
  const stateDir = defaultStateDir();
  const state = readState(stateDir);
  if (state === undefined || !isProcessAlive(state.pid)) {
    console.error(`no local stack is running (nothing recorded in ${stateDir}); start one with \`npm start\` or \`dockmaster local up --detach\`, then run the demo again`);
    return 1;
  }
  const control = new ControlClient(state);
  console.log(`demo against the local stack pid ${state.pid}: registry ${state.urls.registry}, aws ${state.urls.aws}`);
  const results = await runDemoScenario(
    {
      registryHost: new URL(state.urls.registry).host,
      awsUrl: state.urls.aws,
      region: state.region,
      idle: () => control.idle(),
      trigger: (name) => control.trigger(name),
      scan: (reference, findings) => control.scan(reference, findings),
      alerts: () => control.alerts(),
    },
    (result) => console.log(`${result.ok ? 'ok  ' : 'FAIL'} ${result.step}: ${result.observed} (${result.latencyMs} ms)`),
  );
  console.log(`\n${renderSummaryTable(results)}`);
  return results.every((result) => result.ok) ? 0 : 1;
};

try {
  process.exitCode = await main();
} catch (error) {
  console.error(error instanceof UserFacingError ? error.message : `demo failed: ${(error as Error).message}`);
  process.exitCode = 1;
}
