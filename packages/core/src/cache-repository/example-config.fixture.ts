import { parse } from 'yaml';
import { DockmasterConfigSchema, type DockmasterConfig, type PullThroughCacheConfig } from '../config/index.js';
import { exampleConfigText } from '../testing/index.js';

/*
 * Test support: the documented example config (the contract), parsed as the workers parse it, and
 * variations of its k8s cache rule. Not a test file itself.
 */

const exampleYaml = (): unknown => parse(exampleConfigText());

const exampleConfig: DockmasterConfig = DockmasterConfigSchema.parse(exampleYaml());

/** The example's k8s rule. */
const exampleK8sRule = (): PullThroughCacheConfig => {
  const rule = exampleConfig.pullThroughCache.find((candidate) => candidate.prefix === 'k8s');
  if (!rule) throw new Error('the example config has no k8s pull-through cache rule');
  return structuredClone(rule);
};

/** The example config with its pullThroughCache list replaced, validated by the real schema. */
const configWithCaches = (pullThroughCache: unknown[]): DockmasterConfig => {
  const raw = exampleYaml() as Record<string, unknown>;
  return DockmasterConfigSchema.parse({ ...raw, pullThroughCache });
};

/** The raw (YAML-level) k8s rule of the example, to modify before validation. */
const rawExampleK8sRule = (): Record<string, unknown> => {
  const raw = exampleYaml() as { pullThroughCache: Record<string, unknown>[] };
  const rule = raw.pullThroughCache.find((candidate) => candidate['prefix'] === 'k8s');
  if (!rule) throw new Error('the example config has no k8s pull-through cache rule');
  return rule;
};

export { configWithCaches, exampleConfig, exampleK8sRule, rawExampleK8sRule };
