import * as z from 'zod';
import { eventBridgeEvent } from './envelope.js';
import { AwsDetailType, EventSource } from './vocabulary.js';

/**
 * `ECR Image Action` (source aws.ecr): push, delete and storage-class changes of an image.
 * `image-tag` is optional: untagged pushes (the child manifests of an index) and archive/restore carry none.
 * `result` and `action-type` stay open strings: AWS documents only some values and adds new ones; handlers
 * decide what they act on. Unknown fields are ignored.
 */
const EcrImageActionDetailSchema = z.object({
  result: z.string(),
  'repository-name': z.string().min(1),
  'image-digest': z.string().min(1),
  'action-type': z.string(),
  'image-tag': z.string().min(1).optional(),
  'manifest-media-type': z.string().optional(),
  'artifact-media-type': z.string().optional(),
  'target-storage-class': z.string().optional(),
});

const EcrImageActionEventSchema = eventBridgeEvent(EcrImageActionDetailSchema).extend({
  source: z.literal(EventSource.Ecr),
  'detail-type': z.literal(AwsDetailType.EcrImageAction),
});

type EcrImageActionDetail = z.output<typeof EcrImageActionDetailSchema>;
type EcrImageActionEvent = z.output<typeof EcrImageActionEventSchema>;

export { EcrImageActionDetailSchema, EcrImageActionEventSchema };
export type { EcrImageActionDetail, EcrImageActionEvent };
