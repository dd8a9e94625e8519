import type { ReplicationFailedDetail } from '../replication/index.js';
import { fitSubject, imageReference, type RenderedMessage } from './message.js';

/** Subject and body of a Replication Failed. */
const renderReplicationFailedMessage = (detail: ReplicationFailedDetail): RenderedMessage => {
  const reference = imageReference(detail.repository, detail.tag, detail.digest);
  const route = `${detail.sourceRegion} -> ${detail.destinationRegion}`;
  const subject = fitSubject('[REPLICATION FAILED] ', reference, ` — ${route}`);
  const body = [
    `Replicating ${reference} from ${detail.sourceAccount}/${detail.sourceRegion} to ${detail.destinationAccount}/${detail.destinationRegion} failed.`,
    'ECR does not retry a failed replication: the image is missing in the destination until it is pushed again.',
    '',
    `Repository:   ${detail.repository}`,
    `Tag:          ${detail.tag ?? '(none)'}`,
    `Digest:       ${detail.digest ?? '(not in the event)'}`,
    `Source:       ${detail.sourceAccount} ${detail.sourceRegion}`,
    `Destination:  ${detail.destinationAccount} ${detail.destinationRegion}`,
    `Team:         ${detail.team ?? '(no owning team: add a scanAlerts.routes entry for this repository)'}`,
    '',
    'What to do:',
    `  1. See why: aws ecr describe-image-replication-status --repository-name ${detail.repository} --image-id ${detail.digest ? `imageDigest=${detail.digest}` : `imageTag=${detail.tag ?? '<tag>'}`} --region ${detail.sourceRegion}`,
    "  2. Check the destination registry's policy (ecr:ReplicateImage, ecr:CreateRepository for the source account)",
    "     and the destination repository's tag immutability.",
    '  3. Push the image again to the source repository once fixed.',
    '',
    `Replication event: ${detail.eventId}`,
  ].join('\n');
  return { subject, body };
};

export { renderReplicationFailedMessage };
