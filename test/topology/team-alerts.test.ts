import { DockmasterEventType } from '@dockmaster/core/constants';
import { renderTagPolicyViolationMessage } from '@dockmaster/core/notifications';
import { buildTopology, routeTeamAlert, TEAM_ALERT_EVENT_TYPES, TEAM_ALERT_INPUT_TRANSFORMER } from '@dockmaster/core/topology';
import { describe, expect, it } from 'vitest';
import { loadExampleConfig } from './helpers.js';

/*
 * The team e-mail topics: which Dockmaster events reach them, and what the subscriber reads (the input
 * transformer turns `detail.message` into the e-mail text instead of the raw event JSON).
 */

const topology = buildTopology(loadExampleConfig(), { configParameterName: '/dockmaster/test/config' });

/** Evaluates the dotted JSONPath subset EventBridge input paths use (`$.detail.message.subject`). */
const valueAt = (event: unknown, path: string): unknown =>
  path
    .slice(2)
    .split('.')
    .reduce<unknown>((value, key) => (typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined), event);

const violationEvent = (team: string) => {
  const violation = {
    repository: 'prod/payments/api',
    tag: 'latest',
    digest: `sha256:${'ab'.repeat(32)}`,
    policy: 'prod-images',
    mode: 'enforce' as const,
    violations: [{ rule: 'forbidden-tag' as const, message: 'tag "latest" is forbidden by policy "prod-images"' }],
    notes: [],
    action: 'removed-tag' as const,
    eventId: 'e5c1f3a2-7b9d-4c1e-8f2a-0d3b5c7e9f11',
    team,
  };
  return {
    version: '0',
    id: '6f2d0c1e-3a4b-4c5d-8e9f-0a1b2c3d4e5f',
    'detail-type': DockmasterEventType.TagPolicyViolation,
    source: 'dockmaster',
    account: '111122223333',
    time: '2026-06-01T12:00:00Z',
    region: 'eu-central-1',
    resources: [],
    detail: { ...violation, message: renderTagPolicyViolationMessage(violation) },
  };
};

describe('team alert routes', () => {
  it('send the e-mail text: subject line, blank line, body, from detail.message', () => {
    // Prepare
    const event = violationEvent('payments');
    const [route] = topology.teamAlertRoutes.filter((candidate) => candidate.team === 'payments');

    // Act: the template is plain text, sent as it is with the input paths' values filled in
    const { inputPaths, inputTemplate } = route!.inputTransformer;
    const text = inputTemplate.replace(/<([a-z]+)>/g, (_match, key: string) => String(valueAt(event, inputPaths[key]!)));

    // Assess
    expect(routeTeamAlert(topology, event)).toEqual(['payments']);
    expect(inputTemplate).toBe('<subject>\n\n<body>');
    expect(text).toBe(`${event.detail.message.subject}\n\n${event.detail.message.body}`);
    expect(text.split('\n')[0]).toBe('[TAG POLICY] prod/payments/api:latest — violates "prod-images", tag removed');
  });

  it('use the same transformer for every team and match every team alert type', () => {
    for (const route of topology.teamAlertRoutes) {
      // Assess
      expect(route.inputTransformer).toEqual(TEAM_ALERT_INPUT_TRANSFORMER);
      expect(route.rule.eventPattern['detail-type']).toEqual([...TEAM_ALERT_EVENT_TYPES]);
    }
    expect(TEAM_ALERT_INPUT_TRANSFORMER.inputPaths).toEqual({ subject: '$.detail.message.subject', body: '$.detail.message.body' });
  });
});
