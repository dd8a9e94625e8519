import type { CreationTemplateInput } from '@dockmaster/core/cache-repository';
import type { EcrState, RepositoryState } from './ecr-state.js';
import { addRepository } from './repositories.js';
import type { TagMutabilitySettings } from './tag-mutability.js';

/**
 * Repository creation templates, declared to the local stack from the same config -> core renderer data infra
 * deploys (renderCreationTemplates). Only CREATE_ON_PUSH acts here: a push to a repository that does not exist
 * creates it when a template covers its name. (The local stack has no replication; its pull-through cache
 * repositories are configured by the cache-repository worker, as before.)
 */

/** ECR's fallback template for names no other template covers. */
const ROOT_PREFIX = 'ROOT';

/**
 * The template ECR applies to `name` for `scenario`: the longest prefix `p` with `name` under `p/` (ECR user
 * guide: "There is always an assumed / applied to the end of the prefix"), else the ROOT template.
 * ECR-GUESS: "longest matching prefix wins" is how the console describes overlapping templates; Dockmaster's
 * config forbids overlapping prefixes anyway.
 */
function findCreationTemplate(
  ecr: Pick<EcrState, 'repositoryCreationTemplates'>,
  name: string,
  scenario: CreationTemplateInput['appliedFor'][number],
): CreationTemplateInput | undefined {
  const candidates = ecr.repositoryCreationTemplates.filter((template) => template.appliedFor.includes(scenario));
  const covering = candidates.filter((template) => template.prefix !== ROOT_PREFIX && name.startsWith(`${template.prefix}/`)).sort((a, b) => b.prefix.length - a.prefix.length);
  return covering[0] ?? candidates.find((template) => template.prefix === ROOT_PREFIX);
}

/**
 * A push to `name`, which does not exist: ECR creates the repository when a CREATE_ON_PUSH template covers it,
 * with the template's tag mutability, repository policy and lifecycle policy ("for CREATE_ON_PUSH, without a
 * template no repository is created"). Undefined when no template covers the name (the push then fails as
 * before: NAME_UNKNOWN).
 * ECR-GUESS: scan on push is off (a template has no scanning field; ECR's registry-level scanning governs) and
 * encryption is AES256 (the local stack has no KMS).
 */
async function createRepositoryOnPush(ecr: EcrState, name: string): Promise<RepositoryState | undefined> {
  const template = findCreationTemplate(ecr, name, 'CREATE_ON_PUSH');
  if (template === undefined) return undefined;
  const tagMutability: TagMutabilitySettings = { imageTagMutability: template.imageTagMutability };
  return addRepository(ecr, name, 'create-on-push', tagMutability, false, { policyText: template.repositoryPolicy, lifecyclePolicyText: template.lifecyclePolicy });
}

export { createRepositoryOnPush, findCreationTemplate, ROOT_PREFIX };
