import { ECRClient } from '@aws-sdk/client-ecr';
import { AutomationId } from '@dockmaster/core/constants';
import { createEcrImages } from '../adapters/ecr-images.js';
import { createEcrTagMutability } from '../adapters/ecr-tag-mutability.js';
import { createDynamoDbTagDigestStore } from '../adapters/tag-digest-store.js';
import { ECR_CLIENT_RETRY, EnvVar } from '../constants.js';
import { lazy } from '../runtime/memoize.js';
import { dockmasterBusFromEnvironment, optionalEnv } from './wiring/environment.js';
import { createSqsBatchHandler, type SqsBatchHandlerDeps } from './wiring/sqs-worker.js';
import type { TagPolicyWorkerDeps } from '../tag-policy/index.js';

const tagDigestsFromEnvironment = () => {
  const tableName = optionalEnv(EnvVar.StateTable);
  return tableName === undefined ? undefined : createDynamoDbTagDigestStore({ tableName });
};

/** The tag-policy worker; every dependency can be replaced (tests, local stack), the rest comes from the environment. */
const createTagPolicyHandler = (deps: Partial<SqsBatchHandlerDeps & TagPolicyWorkerDeps> = {}) => {
  const getAdapters = lazy((): TagPolicyWorkerDeps => {
    const client = new ECRClient(ECR_CLIENT_RETRY);
    return {
      images: deps.images ?? createEcrImages({ client }),
      bus: deps.bus ?? dockmasterBusFromEnvironment(),
      tagMutability: deps.tagMutability ?? createEcrTagMutability({ client }),
      // The state table is wired only when a policy's tag immutability is checked on the push event (topology needsState).
      tagDigests: deps.tagDigests ?? tagDigestsFromEnvironment(),
    };
  });
  return createSqsBatchHandler({
    automation: AutomationId.TagPolicy,
    // On the first batch: the message schemas (zod) and the automation's code cost nothing at cold start. The
    // adapters stay static: an SDK package that a lazily imported module also imports is evaluated whole at load.
    load: async () => {
      const { processTagPolicyMessage, TAG_POLICY_IDEMPOTENCY_KEY, TagPolicyMessageSchema } = await import('../tag-policy/index.js');
      return {
        schema: TagPolicyMessageSchema,
        idempotencyKey: TAG_POLICY_IDEMPOTENCY_KEY,
        processRecord: (message, context) => processTagPolicyMessage(message, context, getAdapters()),
      };
    },
    deps,
  });
};

/** Lambda entry point: `packages/functions/src/handlers/tag-policy.handler`. */
const handler = createTagPolicyHandler();

export { createTagPolicyHandler, handler };
