import type { EcrImages } from '../adapters/ecr-images.js';
import type { ScanFindingsReader } from '../adapters/scan-findings.js';
import type { DockmasterBus } from '../adapters/dockmaster-bus.js';
import type { PushActivityReader } from '../adapters/push-activity.js';
import type { ScanAlertStore } from '../adapters/scan-alert-store.js';

/** Everything the scan-alert worker talks to; each part can be replaced (tests, local stack). */
type ScanAlertDeps = {
  findings: ScanFindingsReader;
  images: Pick<EcrImages, 'readImageLabels'>;
  bus: DockmasterBus;
  store: ScanAlertStore;
  pushes: PushActivityReader;
};

export type { ScanAlertDeps };
