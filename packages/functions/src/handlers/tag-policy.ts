import { AutomationId } from '@dockmaster/core/constants';
import { createEcrImages } from '../adapters/ecr-images.js';
import { lazy } from '../runtime/memoize.js';
import { dockmasterBusFromEnvironment } from './wiring/environment.js';
import { createSqsBatchHandler, type SqsBatchHandlerDeps } from './wiring/sqs-worker.js';
import type { TagPolicyDeps } from '../tag-policy/index.js';

/** The tag-policy worker; every dependency can be replaced (tests, local stack), the rest comes from the environment. */
const createTagPolicyHandler = (deps: Partial<SqsBatchHandlerDeps & TagPolicyDeps> = {}) => {
  return createSqsBatchHandler({
    automation: AutomationId.TagPolicy,
    // On the first batch: the event schema (zod) and the automation's code cost nothing at cold start. The
    // adapters stay static: an SDK package that a lazily imported module also imports is evaluated whole at load.
    load: async () => {
      const [{ EcrImageActionEventSchema }, { checkPushedTag, TAG_POLICY_IDEMPOTENCY_KEY }] = await Promise.all([
        import('@dockmaster/core/events/ecr-image-action'),
        import('../tag-policy/index.js'),
      ]);
      const getAdapters = lazy(
        (): TagPolicyDeps => ({
          images: deps.images ?? createEcrImages(),
          bus: deps.bus ?? dockmasterBusFromEnvironment(),
        }),
      );
      return {
        schema: EcrImageActionEventSchema,
        idempotencyKey: TAG_POLICY_IDEMPOTENCY_KEY,
        processRecord: (event, context) => checkPushedTag(event, context, getAdapters()),
      };
    },
    deps,
  });
};

/** Lambda entry point: `packages/functions/src/handlers/tag-policy.handler`. */
const handler = createTagPolicyHandler();

export { createTagPolicyHandler, handler };
