import type { DockmasterConfig, ScanAlertsConfig } from '../config/index.js';
import { matchesAnyGlob } from '../glob/index.js';
import { owningTeam } from '../ownership/index.js';
import { NotInUseAction } from './in-use.js';

/**
 * Whether scan results of a repository alert at all, and to whom: the one place the "scan alerts are off" check
 * and the owner routing are decided, for the worker (which must not read findings of a repository no route
 * covers: its IAM policy) and for buildAlert alike.
 */
type ScanAlertRouting =
  | { readonly on: false; readonly reason: string }
  | {
      readonly on: true;
      readonly settings: ScanAlertsConfig;
      readonly team: string | null;
      /** The first route covering the repository decides, also when an allow-list owner takes the alert; no route: page. */
      readonly notInUse: NotInUseAction;
    };

const SCAN_ALERTS_OFF = 'scan alerts are off: the configuration has no scanAlerts section';

const scanAlertRouting = (config: Pick<DockmasterConfig, 'scanAlerts' | 'pullThroughCache'>, repository: string): ScanAlertRouting => {
  if (!config.scanAlerts) return { on: false, reason: SCAN_ALERTS_OFF };
  const route = config.scanAlerts.routes.find((candidate) => matchesAnyGlob(candidate.repositories, repository));
  return { on: true, settings: config.scanAlerts, team: owningTeam(config, repository), notInUse: route?.notInUse ?? NotInUseAction.Page };
};

export { scanAlertRouting };
export type { ScanAlertRouting };
