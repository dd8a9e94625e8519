import { canonical, type Json } from './normalise-policy.js';
import type { EcrTagMutability } from './repository-settings.js';

/** A repository's settings as ECR reports them (DescribeRepositories + GetLifecyclePolicy). */
type CurrentRepositorySettings = {
  scanOnPush: boolean;
  /** ECR also knows IMMUTABLE_WITH_EXCLUSION and MUTABLE_WITH_EXCLUSION. */
  tagMutability: string;
  /** The exclusion filters of the *_WITH_EXCLUSION values (WILDCARD filters), empty or undefined otherwise. */
  tagMutabilityExclusionFilters?: string[] | undefined;
  /** Lifecycle policy text; undefined when the repository has none. */
  lifecyclePolicy?: string | undefined;
};

/** What Dockmaster wants. `lifecyclePolicy` undefined means Dockmaster does not manage it (left as it is). */
type DesiredRepositorySettings = {
  scanOnPush: boolean;
  tagMutability: EcrTagMutability;
  tagMutabilityExclusionFilters?: string[] | undefined;
  lifecyclePolicy?: string | undefined;
};

type SettingName = 'scanOnPush' | 'tagMutability' | 'tagMutabilityExclusionFilters' | 'lifecyclePolicy';

/** One drifted setting; a lifecycle policy is shown parsed (null when none, the raw text when not JSON). */
type SettingChange = { setting: SettingName; before: Json; after: Json };

/** The before/after of every drifted setting, for the Cache Repository Drift Repaired event. */
type SettingsDiff = {
  changed: boolean;
  changes: SettingChange[];
  before: Partial<Record<SettingName, Json>>;
  after: Partial<Record<SettingName, Json>>;
};

/** A lifecycle policy in comparable form: parsed, keys sorted, rules by priority (ECR re-orders them). */
const lifecycleValue = (text: string | undefined): Json => {
  if (text === undefined) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return text;
  }
  const value = canonical(parsed);
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && Array.isArray(value['rules'])) {
    const priority = (rule: Json): number =>
      typeof rule === 'object' && rule !== null && !Array.isArray(rule) && typeof rule['rulePriority'] === 'number' ? rule['rulePriority'] : 0;
    value['rules'] = [...value['rules']].sort((a, b) => priority(a) - priority(b));
  }
  return value;
};

/** Which managed settings differ between the repository and the config. */
const diffSettings = (current: CurrentRepositorySettings, desired: DesiredRepositorySettings): SettingsDiff => {
  const pairs: [SettingName, Json, Json][] = [
    ['scanOnPush', current.scanOnPush, desired.scanOnPush],
    ['tagMutability', current.tagMutability, desired.tagMutability],
  ];
  // Compared as sets (order does not matter to ECR); only when either side has filters, so the events of
  // rules without exclusions look as before.
  const currentFilters = [...(current.tagMutabilityExclusionFilters ?? [])].sort();
  const desiredFilters = [...(desired.tagMutabilityExclusionFilters ?? [])].sort();
  if (currentFilters.length > 0 || desiredFilters.length > 0) pairs.push(['tagMutabilityExclusionFilters', currentFilters, desiredFilters]);
  if (desired.lifecyclePolicy !== undefined) {
    pairs.push(['lifecyclePolicy', lifecycleValue(current.lifecyclePolicy), lifecycleValue(desired.lifecyclePolicy)]);
  }
  const changes = pairs
    .filter(([, before, after]) => JSON.stringify(before) !== JSON.stringify(after))
    .map(([setting, before, after]) => ({ setting, before, after }));
  return {
    changed: changes.length > 0,
    changes,
    before: Object.fromEntries(changes.map(({ setting, before }) => [setting, before])),
    after: Object.fromEntries(changes.map(({ setting, after }) => [setting, after])),
  };
};

export { diffSettings };
export type { CurrentRepositorySettings, DesiredRepositorySettings, SettingChange, SettingName, SettingsDiff };
