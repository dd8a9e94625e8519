import { randomUUID } from 'node:crypto';
import type { PutEventsRequestEntry, PutEventsResultEntry } from '@aws-sdk/client-eventbridge';
import type { AutomationId } from '@dockmaster/core/constants';
import type { EventBridgeEnvelope } from '@dockmaster/core/events/envelope';
import { checkJsonTextDepth, EventBridgeLimit, utf8Bytes } from '@dockmaster/core/limits';
import { isRecord, parseJsonOrUndefined } from '@dockmaster/core/shared';
import { routeAlertDestinations, routeEvent, routeTeamAlert, type Topology } from '@dockmaster/core/topology';
import type { LocalEventBus } from '../aws-endpoint/index.js';
import type { LocalQueue } from '../sqs/index.js';
import { AlertChannel, type AlertSink } from './alert-sink.js';
import { LocalApiDestinations } from './api-destination.js';
import { awsEventTime } from './aws-events.js';
import { targetInput } from './target-input.js';

/** Which of the two buses an event was put on: AWS services use the default bus, the workers Dockmaster's. */
type BusName = 'default' | 'dockmaster';

/** What happened to one event on the local bus; the live log and the tests observe these. */
interface BusDelivery {
  bus: BusName;
  event: EventBridgeEnvelope;
  /** Automations whose queue received the event (default bus). */
  automations: AutomationId[];
  /** Teams the event was delivered to as an alert (Dockmaster's bus). */
  teams: string[];
  /** The chat topics and API destinations (PagerDuty) the event reached too (Dockmaster's bus). */
  destinations?: string[];
}

interface LocalBusOptions {
  topology: Topology;
  /** The queue of an automation, or undefined when the stack created none for it (no rules, as in infra). */
  queueFor: (automation: AutomationId) => LocalQueue | undefined;
  alerts: AlertSink;
  /** Where API-destination targets are POSTed; default: DOCKMASTER_LOCAL_API_DESTINATION_URL (api-destination.ts). */
  apiDestinations?: LocalApiDestinations;
}

const DEFAULT_BUS = 'default';

/** PutEvents takes a bus name or ARN; the ARN's last segment after `event-bus/` is the name. */
const busNameOf = (nameOrArn: string | undefined): string => {
  if (nameOrArn === undefined || nameOrArn === '') return DEFAULT_BUS;
  const marker = ':event-bus/';
  const index = nameOrArn.indexOf(marker);
  return index < 0 ? nameOrArn : nameOrArn.slice(index + marker.length);
};

/** PutEvents' entry size: Time 14 bytes, then the UTF-8 bytes of Source, DetailType, Detail and each resource. */
const entrySize = (entry: PutEventsRequestEntry): number =>
  (entry.Time === undefined ? 0 : 14) +
  [entry.Source, entry.DetailType, entry.Detail, ...(entry.Resources ?? [])].reduce((size, text) => size + (text === undefined ? 0 : utf8Bytes(text)), 0);

const parseDetail = (detail: string | undefined): Record<string, unknown> | undefined => {
  const parsed = detail === undefined ? undefined : parseJsonOrUndefined(detail);
  return isRecord(parsed) ? parsed : undefined;
};

/**
 * The local EventBridge: events on the default bus are routed with the SAME topology and matcher the infra
 * deploys (routeEvent), and each matching automation's queue receives the event JSON as the message body,
 * exactly as an EventBridge -> SQS target delivers it. Events on Dockmaster's bus reach the team alert
 * routes (routeTeamAlert) and the observers (live log).
 */
class LocalBus implements LocalEventBus {
  private readonly topology: Topology;
  private readonly queueFor: LocalBusOptions['queueFor'];
  private readonly alerts: AlertSink;
  public readonly apiDestinations: LocalApiDestinations;
  private readonly listeners = new Set<(delivery: BusDelivery) => void>();

  public constructor(options: LocalBusOptions) {
    this.topology = options.topology;
    this.queueFor = options.queueFor;
    this.alerts = options.alerts;
    this.apiDestinations = options.apiDestinations ?? new LocalApiDestinations();
  }

  /** Observes every event; returns an unsubscribe function. */
  public onDelivery(listener: (delivery: BusDelivery) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** An AWS service event on the default bus (registry front, ECR and SSM hooks, `local scan`). */
  public publish(event: EventBridgeEnvelope): BusDelivery {
    const automations = routeEvent(this.topology, event);
    const body = JSON.stringify(event);
    const delivered = automations.filter((automation) => {
      const queue = this.queueFor(automation);
      queue?.send({ body });
      return queue !== undefined;
    });
    return this.notify({ bus: 'default', event, automations: delivered, teams: [] });
  }

  /** An event one of Dockmaster's workers put on Dockmaster's bus. */
  public publishDockmasterEvent(event: EventBridgeEnvelope): BusDelivery {
    const destinations = routeAlertDestinations(this.topology, event);
    // Every destination's delivery is recorded with its channel, so one alert to e-mail and chat reads as one alert, twice delivered.
    for (const destination of destinations) {
      if (destination.kind === 'api-destination') {
        void this.apiDestinations.send(destination, targetInput(destination.feed, event)).then((sent) => {
          // Status only: the body holds the routing key.
          if (sent.error !== undefined || (sent.status !== undefined && sent.status >= 300)) {
            console.error(`[local bus] API destination ${sent.destination} (${sent.url ?? 'no URL'}): ${sent.error ?? `HTTP ${sent.status}`}`);
          }
        });
        // Recorded as routed; the body is not kept, it holds the routing key.
        this.alerts.deliver(destination.team, event, { channel: AlertChannel.PagerDuty, destination: destination.name });
      } else if (destination.chat !== undefined) {
        if (destination.feed.kind === 'bus-rule') {
          this.alerts.deliver(destination.team, event, { channel: AlertChannel.Chat, destination: destination.name, published: JSON.parse(targetInput(destination.feed, event)) as unknown });
        }
      } else {
        this.alerts.deliver(destination.team, event, { channel: AlertChannel.Email, destination: destination.name });
      }
    }
    const teams = routeTeamAlert(this.topology, event);
    const others = destinations.filter((destination) => destination.kind === 'api-destination' || destination.chat !== undefined);
    return this.notify({ bus: 'dockmaster', event, automations: [], teams, ...(others.length > 0 ? { destinations: others.map((destination) => destination.name) } : {}) });
  }

  /** `AWSEvents.PutEvents`: one result per entry, failures per entry as EventBridge reports them. */
  public putEvents(entries: PutEventsRequestEntry[]): PutEventsResultEntry[] {
    return entries.map((entry) => {
      const busName = busNameOf(entry.EventBusName);
      if (entry.Source === undefined || entry.DetailType === undefined || entry.Detail === undefined) {
        return { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameters Source, DetailType and Detail are required.' };
      }
      // EventBridge-GUESS: the size and depth limits are reported per entry, with these codes.
      const size = entrySize(entry);
      if (size > EventBridgeLimit.EVENT_ENTRY_BYTES) {
        return { ErrorCode: 'ValidationException', ErrorMessage: `The entry is ${size} bytes; entries are at most ${EventBridgeLimit.EVENT_ENTRY_BYTES} bytes (256 KB).` };
      }
      // The envelope is one more level: a detail within this keeps the whole event within what the matcher takes.
      const depth = checkJsonTextDepth(entry.Detail, EventBridgeLimit.JSON_DEPTH - 1);
      if (!depth.ok) {
        return { ErrorCode: 'MalformedDetail', ErrorMessage: `Detail is nested more than ${EventBridgeLimit.JSON_DEPTH - 1} levels deep; inside the event that passes the ${EventBridgeLimit.JSON_DEPTH} levels EventBridge processes.` };
      }
      const detail = parseDetail(entry.Detail);
      if (detail === undefined) return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
      // EventBridge-GUESS: an unknown bus is reported per entry rather than failing the whole call.
      if (busName !== DEFAULT_BUS && busName !== this.topology.bus.name) {
        return { ErrorCode: 'NotFoundException', ErrorMessage: `Event bus ${busName} does not exist.` };
      }
      const event: EventBridgeEnvelope = {
        version: '0',
        id: randomUUID(),
        'detail-type': entry.DetailType,
        source: entry.Source,
        account: this.topology.registry.accountId,
        time: awsEventTime(entry.Time ?? new Date()),
        region: this.topology.registry.region,
        resources: entry.Resources ?? [],
        detail,
      };
      if (busName === DEFAULT_BUS) this.publish(event);
      else this.publishDockmasterEvent(event);
      return { EventId: event.id };
    });
  }

  private notify(delivery: BusDelivery): BusDelivery {
    for (const listener of this.listeners) {
      try {
        listener(delivery);
      } catch (error) {
        // An observer (the live log) must never lose an event for the workers.
        console.error('[local bus] observer failed:', error);
      }
    }
    return delivery;
  }
}

export { busNameOf, LocalBus };
export type { BusDelivery, BusName, LocalBusOptions };
