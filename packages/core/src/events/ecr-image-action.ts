import * as z from 'zod';
import { eventBridgeEvent } from './envelope.js';
import { AwsDetailType, EcrActionType, EventSource } from './vocabulary.js';

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

/**
 * `ECR Image Action` UPDATE_STORAGE_CLASS: an image was archived (`target-storage-class` ARCHIVE) or restored
 * (STANDARD; adds `last-activated-at`). The samples carry no `image-tag`: the digest names the image.
 * `target-storage-class` stays an open string, as `action-type` does: the worker acts on ARCHIVE only.
 */
const EcrStorageClassChangeEventSchema = EcrImageActionEventSchema.extend({
  detail: EcrImageActionDetailSchema.extend({
    'action-type': z.literal(EcrActionType.UpdateStorageClass),
    'target-storage-class': z.string().min(1),
    'last-activated-at': z.string().optional(),
  }),
});

type EcrImageActionDetail = z.output<typeof EcrImageActionDetailSchema>;
type EcrImageActionEvent = z.output<typeof EcrImageActionEventSchema>;
type EcrStorageClassChangeEvent = z.output<typeof EcrStorageClassChangeEventSchema>;

export { EcrImageActionDetailSchema, EcrImageActionEventSchema, EcrStorageClassChangeEventSchema };
export type { EcrImageActionDetail, EcrImageActionEvent, EcrStorageClassChangeEvent };
