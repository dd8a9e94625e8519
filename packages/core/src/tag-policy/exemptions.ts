import type { TagPolicyConfig } from '../config/index.js';
import { matchesAnyGlob } from '../glob/index.js';

type Exemption = TagPolicyConfig['exemptions'][number];

type ExemptionLookup = {
  /** The first exemption that covers the tag and is still in force, if any. */
  active: Exemption | null;
  /** Exemptions that cover the tag but have expired: reported, so an expiry never goes unnoticed. */
  expired: Exemption[];
};

/** First instant an exemption no longer applies: `expires` is the last day it applies, to the end of that day in UTC. */
const expiryInstant = (expires: string): number => {
  const [year, month, day] = expires.split('-').map(Number);
  return Date.UTC(year ?? 0, (month ?? 1) - 1, (day ?? 1) + 1);
};

const isInForce = (exemption: Exemption, now: Date): boolean => now.getTime() < expiryInstant(exemption.expires);

const findExemptions = (policy: TagPolicyConfig, tag: string, now: Date): ExemptionLookup => {
  const covering = policy.exemptions.filter((exemption) => matchesAnyGlob(exemption.tags, tag, 'tag'));
  return {
    active: covering.find((exemption) => isInForce(exemption, now)) ?? null,
    expired: covering.filter((exemption) => !isInForce(exemption, now)),
  };
};

export { findExemptions, isInForce };
export type { Exemption, ExemptionLookup };
