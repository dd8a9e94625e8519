import type { AutomationId } from '../constants.js';
import { compileEventPattern } from '../pattern/index.js';
import type { AlertDestinationSpec, EventPattern, Topology } from './types.js';

type CompiledPattern = (event: unknown) => boolean;

/** Patterns are compiled once per pattern object; topologies are immutable data. */
const compiled = new WeakMap<EventPattern, CompiledPattern>();

const matcherFor = (pattern: EventPattern): CompiledPattern => {
  const cached = compiled.get(pattern);
  if (cached) return cached;
  const matcher = compileEventPattern(pattern);
  compiled.set(pattern, matcher);
  return matcher;
};

/**
 * The automations an event on the default bus reaches, as EventBridge would route it through the
 * topology's event rules. Scheduled rules are not consulted: their events go straight to one queue.
 */
const routeEvent = (topology: Topology, event: unknown): AutomationId[] =>
  topology.automations
    .filter((automation) => automation.rules.some((rule) => rule.kind === 'event' && matcherFor(rule.eventPattern)(event)))
    .map((automation) => automation.id);

/** The bus-fed alert destinations (e-mail and chat topics, API destinations) whose rule matches one of Dockmaster's own events. */
const routeAlertDestinations = (topology: Topology, event: unknown): AlertDestinationSpec[] =>
  topology.alertDestinations.filter((destination) => destination.feed.kind === 'bus-rule' && matcherFor(destination.feed.rule.eventPattern)(event));

/** The teams whose e-mail topic (a bus-fed topic without a chat channel) receives one of Dockmaster's own events. */
const routeTeamAlert = (topology: Topology, event: unknown): string[] =>
  routeAlertDestinations(topology, event).flatMap((destination) =>
    destination.kind === 'api-destination' || destination.chat !== undefined ? [] : [destination.team],
  );

export { routeAlertDestinations, routeEvent, routeTeamAlert };
