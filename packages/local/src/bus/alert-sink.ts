import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { EventBridgeEnvelope } from '@dockmaster/core/events/envelope';

/** One Dockmaster event delivered to a team: what the team's SNS topic would have e-mailed in AWS. */
interface DeliveredAlert {
  team: string;
  /** `Scan Alert`, `Scan Alert Resolved`, `Image Prepopulation Failed`, ... */
  detailType: string;
  eventId: string;
  /** ISO-8601, when the local bus delivered it. */
  deliveredAt: string;
  detail: Record<string, unknown>;
  /** Which of the team's destinations received it: one event reaches each destination the team has. */
  channel: AlertChannel;
  /** The destination's logical name in the topology (`team-payments-chat`, ...). */
  destination: string;
  /**
   * A chat destination only: the custom notification its topic publishes. Never for PagerDuty: that body carries
   * the routing key.
   */
  published?: unknown;
}

/** e-mail: the team's SNS e-mail topic; chat: its Slack or Teams topic; pagerduty: its API destination. */
const AlertChannel = { Email: 'email', Chat: 'chat', PagerDuty: 'pagerduty' } as const;
type AlertChannel = (typeof AlertChannel)[keyof typeof AlertChannel];

interface AlertDelivery {
  channel: AlertChannel;
  destination: string;
  published?: unknown;
}

const ALERTS_FILE = 'alerts.jsonl';

/**
 * Stands in for the per-team SNS topics: keeps delivered alerts in memory (for the control API and tests)
 * and appends each as one JSON line to `<stateDir>/alerts.jsonl`, which a person can read with `tail -f`.
 */
class AlertSink {
  public readonly file: string | undefined;
  private readonly alerts: DeliveredAlert[] = [];

  public constructor(stateDir?: string) {
    if (stateDir !== undefined) {
      mkdirSync(stateDir, { recursive: true });
      this.file = path.join(stateDir, ALERTS_FILE);
    }
  }

  public deliver(team: string, event: EventBridgeEnvelope, delivery: AlertDelivery): DeliveredAlert {
    const alert: DeliveredAlert = {
      team,
      detailType: event['detail-type'],
      eventId: event.id,
      deliveredAt: new Date().toISOString(),
      detail: (event.detail ?? {}) as Record<string, unknown>,
      channel: delivery.channel,
      destination: delivery.destination,
      ...(delivery.published === undefined ? {} : { published: delivery.published }),
    };
    this.alerts.push(alert);
    // Synchronous so that the file order is the delivery order; alerts are few and small.
    if (this.file !== undefined) appendFileSync(this.file, `${JSON.stringify(alert)}\n`);
    return alert;
  }

  /** Every alert delivered since the stack started, oldest first. */
  public list(): DeliveredAlert[] {
    return [...this.alerts];
  }
}

export { AlertChannel, ALERTS_FILE, AlertSink };
export type { AlertDelivery, DeliveredAlert };
