import { AwsDetailType, ScanStatus } from '@dockmaster/core/events/vocabulary';
import { ControlClient } from '@dockmaster/local/control';
import { ExitCode } from '../../constants.js';
import { readUserJson, type CliIo } from '../../io.js';
import { requireRunningStack } from './running-stack.js';

/** `dockmaster local scan <repository>:<tag> --findings <file.json>`: a basic scan completing with these findings. */
const scan = async (reference: string, findingsFile: string, io: CliIo): Promise<ExitCode> => {
  const findings = readUserJson(findingsFile, 'scan findings (DescribeImageScanFindings JSON)');
  const state = requireRunningStack(io);
  if (state === undefined) return ExitCode.Failed;
  const recorded = await new ControlClient(state).scan(reference, findings);
  const counts = Object.entries(recorded.counts).map(([severity, count]) => `${severity} ${count}`);
  io.stdout(
    `recorded scan of ${recorded.repository}@${recorded.digest}${recorded.tags.length === 0 ? '' : ` (${recorded.tags.join(', ')})`}: ` +
      `${counts.length === 0 ? 'no findings' : counts.join(', ')}; ${AwsDetailType.EcrImageScan} ${ScanStatus.Complete} -> ${recorded.automations.length === 0 ? 'no automation' : recorded.automations.join(', ')}`,
  );
  return ExitCode.Ok;
};

export { scan };
