import { AutomationId } from '@dockmaster/core/constants';
import { EcrImageActionEventSchema } from '@dockmaster/core/events/ecr-image-action';
import { ECRClient } from '@aws-sdk/client-ecr';
import { createEcrImages } from '../adapters/ecr-images.js';
import { ECR_CLIENT_RETRY } from '../constants.js';
import { lazy } from '../runtime/memoize.js';
import { dockmasterBusFromEnvironment } from './wiring/environment.js';
import { createSqsBatchHandler, type SqsBatchHandlerDeps } from './wiring/sqs-worker.js';
import { checkPushedTag, TAG_POLICY_IDEMPOTENCY_KEY, type TagPolicyDeps } from '../tag-policy/index.js';

/** The tag-policy worker; every dependency can be replaced (tests, local stack), the rest comes from the environment. */
const createTagPolicyHandler = (deps: Partial<SqsBatchHandlerDeps & TagPolicyDeps> = {}) => {
  const getAdapters = lazy(
    (): TagPolicyDeps => ({
      images: deps.images ?? createEcrImages({ client: new ECRClient(ECR_CLIENT_RETRY) }),
      bus: deps.bus ?? dockmasterBusFromEnvironment(),
    }),
  );
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
