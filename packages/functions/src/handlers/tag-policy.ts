import { EcrImageActionEventSchema } from '@dockmaster/core/events/ecr-image-action';
import { AutomationId } from '@dockmaster/core/constants';
import { createEcrImages } from '../adapters/ecr-images.js';
import { EnvVar, requireEnv } from '../constants.js';
import { createDockmasterBus } from '../dockmaster-bus.js';
import { createSqsBatchHandler, type SqsBatchHandlerDeps } from '../sqs-batch-handler.js';
import { checkPushedTag, TAG_POLICY_IDEMPOTENCY_KEY, type TagPolicyDeps } from '../tag-policy/index.js';

/** The tag-policy worker; every dependency can be replaced (tests, local stack), the rest comes from the environment. */
const createTagPolicyHandler = (deps: Partial<SqsBatchHandlerDeps & TagPolicyDeps> = {}) => {
  let adapters: TagPolicyDeps | undefined;
  // Resolved on first use so that importing this module needs no environment.
  const getAdapters = (): TagPolicyDeps =>
    (adapters ??= {
      images: deps.images ?? createEcrImages(),
      bus: deps.bus ?? createDockmasterBus({ busName: requireEnv(EnvVar.BusName) }),
    });
  return createSqsBatchHandler({
    automation: AutomationId.TagPolicy,
    schema: EcrImageActionEventSchema,
    idempotencyKey: TAG_POLICY_IDEMPOTENCY_KEY,
    processRecord: (event, context) => checkPushedTag(event, context, getAdapters()),
    deps,
  });
};

/** Lambda entry point: `packages/functions/src/handlers/tag-policy.handler`. */
const handler = createTagPolicyHandler();

export { createTagPolicyHandler, handler };
