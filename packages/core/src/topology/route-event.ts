import type { AutomationId } from '../constants.js';
import { compileEventPattern } from '../pattern/index.js';
import type { EventPattern, Topology } from './types.js';

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

/** The teams of the bus-fed alert destinations whose rule on Dockmaster's bus matches one of Dockmaster's own events. */
const routeTeamAlert = (topology: Topology, event: unknown): string[] =>
  topology.alertDestinations.flatMap((destination) =>
    destination.feed.kind === 'bus-rule' && matcherFor(destination.feed.rule.eventPattern)(event) ? [destination.team] : [],
  );

export { routeEvent, routeTeamAlert };
