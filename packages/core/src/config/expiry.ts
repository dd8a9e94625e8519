import type { DockmasterConfig } from './schema.js';
import type { SemanticIssue } from './semantic.js';

/*
 * Exemptions and suppressions carry an expiry date. Once it has passed they stop applying, which is intended,
 * but it must be loud (a quietly expired exception turns into alerts "out of nowhere"): these become warnings.
 * They are not errors, so a deployed configuration does not turn invalid overnight.
 */

const today = (now: Date): string => now.toISOString().slice(0, 10);

const expiredExceptions = (config: DockmasterConfig, now: Date): SemanticIssue[] => {
  const day = today(now);
  const exemptions = config.tagPolicies.flatMap((policy, policyIndex) =>
    policy.exemptions.flatMap((exemption, index) =>
      exemption.expires < day
        ? [
            {
              path: ['tagPolicies', policyIndex, 'exemptions', index, 'expires'],
              message: `expired on ${exemption.expires}: this exemption of policy '${policy.name}' no longer applies; remove it or extend the date`,
            },
          ]
        : [],
    ),
  );
  const suppressions = (config.scanAlerts?.suppressions ?? []).flatMap((suppression, index) =>
    suppression.expires < day
      ? [
          {
            path: ['scanAlerts', 'suppressions', index, 'expires'],
            message: `expired on ${suppression.expires}: the suppression of ${suppression.cve} no longer applies; remove it or extend the date`,
          },
        ]
      : [],
  );
  return [...exemptions, ...suppressions];
};

export { expiredExceptions };
