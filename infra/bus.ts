import { topology } from './config';

/** Dockmaster's own bus: workers put Tag Policy Violation, Scan Alert, ... events here. */
const dockmasterBus = new sst.aws.Bus('DockmasterBus', {
  transform: { bus: { name: topology.bus.name } },
});

export { dockmasterBus };
