import type { AutomationId } from '../constants.js';
import { ecrRepositoryArn, type RegistryLocation } from './arn.js';
import type { IamStatement } from './types.js';
import { actionsOf, workerCalls } from './worker-calls.js';
import { globToIamWildcards, prefixToIamWildcard } from './wildcard.js';

/** Drops wildcards another one already covers (`prod/payments/*` next to `prod/*`), to keep policies short. */
const withoutCovered = (wildcards: string[]): string[] => {
  const broad = wildcards.filter((wildcard) => wildcard.endsWith('*') && !/[*?]/.test(wildcard.slice(0, -1)));
  return wildcards.filter((wildcard) => !broad.some((other) => other !== wildcard && wildcard.startsWith(other.slice(0, -1))));
};

/** Repository ARNs covering every repository the globs match (`prod/**` -> `repository/prod/*`). */
const repositoryArnsForGlobs = (registry: RegistryLocation, globs: readonly string[]): string[] =>
  withoutCovered([...new Set(globs.flatMap(globToIamWildcards))])
    .sort()
    .map((name) => ecrRepositoryArn(registry, name));

/** Repository ARNs covering what the globs match and everything under the prefixes, in one short list. */
const repositoryArnsForGlobsAndPrefixes = (registry: RegistryLocation, globs: readonly string[], prefixes: readonly string[]): string[] =>
  withoutCovered([...new Set([...globs.flatMap(globToIamWildcards), ...prefixes.map(prefixToIamWildcard)])])
    .sort()
    .map((name) => ecrRepositoryArn(registry, name));

/** Repository ARNs under cache prefixes (`k8s` -> `repository/k8s/*`). */
const repositoryArnsForPrefixes = (registry: RegistryLocation, prefixes: readonly string[]): string[] =>
  [...new Set(prefixes)].sort().map((prefix) => ecrRepositoryArn(registry, prefixToIamWildcard(prefix)));

/** A statement, or none when it would have no resources (IAM rejects an empty Resource). */
const statementIfAny = (sid: string, actions: string[], resources: string[]): IamStatement[] =>
  resources.length === 0 ? [] : [{ sid, actions, resources }];

/**
 * The statement `sid` of the worker's role: the actions of the calls worker-calls.ts lists under that Sid, on
 * the given resources (none when there are none). The only way a builder grants an action.
 */
const grantCalls = (id: AutomationId, sid: string, resources: string[]): IamStatement[] => {
  const calls = workerCalls(id)[sid];
  if (calls === undefined) throw new Error(`internal: worker-calls.ts lists no calls of ${id} under the statement ${sid}`);
  return statementIfAny(sid, actionsOf(calls), resources);
};

/**
 * Listing repositories: DescribeRepositories without names is authorised against `repository/*` (ECR
 * cannot filter the list by prefix), so workers that sweep the registry (the cache-repository reconcile,
 * the scan-alert watchdog) need it there. It only reads repository metadata (names, ARNs, settings, URIs),
 * never images or policies; every other action stays on the covered repositories.
 */
const listRepositories = (id: AutomationId, registry: RegistryLocation): IamStatement[] =>
  grantCalls(id, 'ListRepositories', [ecrRepositoryArn(registry, '*')]);

export { grantCalls, listRepositories, repositoryArnsForGlobs, repositoryArnsForGlobsAndPrefixes, repositoryArnsForPrefixes, statementIfAny };
