import * as z from 'zod';

/*
 * The field rules of PagerDuty's Events API v2 "Send an Alert Event" (POST https://events.pagerduty.com/v2/enqueue),
 * written from PagerDuty's developer documentation, so tests can check what Dockmaster sends against what
 * PagerDuty accepts rather than against the code that built it:
 * - routing_key: required, the 32-character integration key;
 * - event_action: required, trigger | acknowledge | resolve;
 * - dedup_key: at most 255 characters; correlates triggers and resolves;
 * - payload (required for trigger): summary (required, at most 1024 characters), source (required), severity
 *   (required: critical | error | warning | info), timestamp (ISO 8601), component, group, class, custom_details (object);
 * - images: [{ src (required, HTTPS), href, alt }]; links: [{ href (required), text }]; client, client_url.
 * acknowledge and resolve need only routing_key, dedup_key and event_action.
 */

const PAGERDUTY_EVENTS_V2_URL = 'https://events.pagerduty.com/v2/enqueue';
/** Each PagerDuty service region has its own Events API host (PagerDuty, "Service Regions"); an EU account's key works only there. */
const PAGERDUTY_EVENTS_V2_URLS = { us: PAGERDUTY_EVENTS_V2_URL, eu: 'https://events.eu.pagerduty.com/v2/enqueue' } as const;
type PagerDutyServiceRegion = keyof typeof PAGERDUTY_EVENTS_V2_URLS;
const PAGERDUTY_SEVERITIES = ['critical', 'error', 'warning', 'info'] as const;
type PagerDutySeverity = (typeof PAGERDUTY_SEVERITIES)[number];
const PagerDutyLimit = { routingKeyLength: 32, dedupKeyLength: 255, summaryLength: 1024 } as const;

const Link = z.strictObject({ href: z.url(), text: z.string().optional() });
const Image = z.strictObject({ src: z.url({ protocol: /^https$/ }), href: z.url().optional(), alt: z.string().optional() });

const Payload = z.strictObject({
  summary: z.string().min(1).max(PagerDutyLimit.summaryLength),
  source: z.string().min(1),
  severity: z.enum(PAGERDUTY_SEVERITIES),
  timestamp: z.iso.datetime({ offset: true }).optional(),
  component: z.string().optional(),
  group: z.string().optional(),
  class: z.string().optional(),
  custom_details: z.record(z.string(), z.unknown()).optional(),
});

const Common = {
  routing_key: z.string().length(PagerDutyLimit.routingKeyLength),
  dedup_key: z.string().min(1).max(PagerDutyLimit.dedupKeyLength),
};

/** One Events API v2 alert event as PagerDuty accepts it (a trigger needs a payload; a resolve or acknowledge does not). */
const PagerDutyEventV2Schema = z.discriminatedUnion('event_action', [
  z.strictObject({
    ...Common,
    dedup_key: Common.dedup_key.optional(),
    event_action: z.literal('trigger'),
    payload: Payload,
    images: z.array(Image).optional(),
    links: z.array(Link).optional(),
    client: z.string().optional(),
    client_url: z.url().optional(),
  }),
  z.strictObject({ ...Common, event_action: z.enum(['acknowledge', 'resolve']) }),
]);

type PagerDutyEventV2 = z.output<typeof PagerDutyEventV2Schema>;
/** What Dockmaster puts on its events: the body without routing_key, which the EventBridge connection adds. */
type PagerDutyEventBody = DistributiveOmit<PagerDutyEventV2, 'routing_key'>;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export { PAGERDUTY_EVENTS_V2_URL, PAGERDUTY_EVENTS_V2_URLS, PAGERDUTY_SEVERITIES, PagerDutyEventV2Schema, PagerDutyLimit };
export type { PagerDutyEventBody, PagerDutyEventV2, PagerDutyServiceRegion, PagerDutySeverity };
