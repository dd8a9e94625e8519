import type { ApiDestinationSpec } from '@dockmaster/core/topology';

/*
 * The local stand-in for EventBridge API destinations (PagerDuty): each matching event's target input is POSTed
 * as JSON to a URL you choose, so a local receiver (or `nc -l 8080`) sees what PagerDuty would. The connection's
 * secret body parameter (routing_key) is added as EventBridge adds it; locally its value is a placeholder unless
 * DOCKMASTER_LOCAL_ROUTING_KEY sets one. Without DOCKMASTER_LOCAL_API_DESTINATION_URL nothing is sent (the
 * delivery is still logged), so the local stack never calls PagerDuty unless asked to.
 * Not modelled: EventBridge's retries (up to 24 hours on 429 and 5xx) and the invocation rate limit.
 */

const API_DESTINATION_URL_VARIABLE = 'DOCKMASTER_LOCAL_API_DESTINATION_URL';
const ROUTING_KEY_VARIABLE = 'DOCKMASTER_LOCAL_ROUTING_KEY';
/** 32 characters, the length of a PagerDuty integration key, so the body passes the Events API v2 rules. */
const LOCAL_ROUTING_KEY = 'local-stack-not-a-routing-key-00';

interface ApiDestinationDelivery {
  destination: string;
  team: string;
  url: string | undefined;
  /** The HTTP status, or the error when the POST failed; undefined when no URL is configured. */
  status?: number;
  error?: string;
}

interface ApiDestinationOptions {
  /** Where every API destination POSTs; default DOCKMASTER_LOCAL_API_DESTINATION_URL. */
  url?: string | undefined;
  /** The value of the connection's secret body parameter; default DOCKMASTER_LOCAL_ROUTING_KEY, else a placeholder. */
  routingKey?: string | undefined;
}

class LocalApiDestinations {
  private readonly url: string | undefined;
  private readonly routingKey: string;
  private readonly inFlight = new Set<Promise<ApiDestinationDelivery>>();

  public constructor(options: ApiDestinationOptions = {}) {
    this.url = options.url ?? (process.env[API_DESTINATION_URL_VARIABLE] || undefined);
    this.routingKey = options.routingKey ?? (process.env[ROUTING_KEY_VARIABLE] || LOCAL_ROUTING_KEY);
  }

  /** POSTs the target input (a JSON object) with the connection's body parameter added; never logs the body. */
  public send(destination: ApiDestinationSpec, input: string): Promise<ApiDestinationDelivery> {
    const base = { destination: destination.name, team: destination.team, url: this.url };
    if (this.url === undefined) return Promise.resolve(base);
    const body = { ...(JSON.parse(input) as Record<string, unknown>), [destination.secretBodyParameter]: this.routingKey };
    const sending = fetch(this.url, {
      method: destination.httpMethod,
      headers: { 'content-type': 'application/json; charset=utf-8', 'user-agent': 'Amazon/EventBridge/ApiDestinations' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(5_000), // EventBridge waits at most 5 seconds for an API destination.
    }).then(
      async (response) => {
        await response.arrayBuffer();
        return { ...base, status: response.status };
      },
      (error: unknown) => ({ ...base, error: error instanceof Error ? error.message : String(error) }),
    );
    this.inFlight.add(sending);
    void sending.finally(() => this.inFlight.delete(sending));
    return sending;
  }

  /** Resolves when every POST started so far has ended. */
  public async settled(): Promise<void> {
    await Promise.all([...this.inFlight]);
  }
}

export { API_DESTINATION_URL_VARIABLE, LOCAL_ROUTING_KEY, LocalApiDestinations, ROUTING_KEY_VARIABLE };
export type { ApiDestinationDelivery, ApiDestinationOptions };
