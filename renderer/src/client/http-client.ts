/**
 * PanelClient over HTTP for the headless panel (`campanel serve`): one POST per contract channel,
 * events from server-sent events. Every answer is parsed with the contract before it reaches a store.
 */
import {
  channelNames,
  contract,
  eventSchema,
  panelErrorSchema,
  type ChannelName,
  type PanelCalls,
  type PanelClient,
  type PanelEvent,
  type RequestOf,
  type ResponseOf,
  type Result,
} from '../../../shared/contract';

export const UNREACHABLE_MESSAGE = 'The CamPanel server cannot be reached';
export const UNEXPECTED_MESSAGE = 'The CamPanel server sent an unexpected answer';
/** The server's answer when the panel session cookie is missing (the token URL was not opened). */
export const NO_PANEL_SESSION_MESSAGE = 'No panel session';

export interface HttpClientOptions {
  fetch?: typeof fetch;
  /** Builds the event source; absent where EventSource does not exist (tests). */
  eventSource?: ((url: string) => EventSourceLike) | null;
  /** Called when the server says the panel session cookie is missing or expired. */
  onPanelSessionLost?: () => void;
}

/** The part of EventSource we use, so tests can stand in for it. */
export interface EventSourceLike {
  listen(onData: (data: unknown) => void): void;
  close(): void;
}

function browserEventSource(url: string): EventSourceLike {
  const source = new EventSource(url);
  return {
    listen: (onData) => source.addEventListener('message', (event) => onData(event.data)),
    close: () => source.close(),
  };
}

const failure = (message: string): { ok: false; error: { code: 'internal'; message: string } } => ({
  ok: false,
  error: { code: 'internal', message },
});

/** Turns a raw HTTP answer into a contract Result for channel `name`. Exported for tests. */
export function toResult<K extends ChannelName>(name: K, status: number, body: unknown): Result<ResponseOf<K>> {
  if (typeof body !== 'object' || body === null || !('ok' in body)) return failure(UNEXPECTED_MESSAGE);
  if (body.ok === true && status >= 200 && status < 300 && 'value' in body) {
    const parsed = contract[name].response.safeParse(body.value);
    if (!parsed.success) return failure(UNEXPECTED_MESSAGE);
    return { ok: true, value: parsed.data as ResponseOf<K> };
  }
  if (body.ok === false && 'error' in body) {
    const parsed = panelErrorSchema.safeParse(body.error);
    if (parsed.success) return { ok: false, error: parsed.data };
  }
  return failure(UNEXPECTED_MESSAGE);
}

export function createHttpClient(options: HttpClientOptions = {}): PanelClient {
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const makeSource =
    options.eventSource === undefined
      ? typeof EventSource === 'function'
        ? browserEventSource
        : null
      : options.eventSource;

  async function call<K extends ChannelName>(name: K, request: RequestOf<K>): Promise<Result<ResponseOf<K>>> {
    let response: Response;
    let body: unknown;
    try {
      response = await doFetch(`rpc/${name}`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', 'X-CamPanel': '1' },
        body: JSON.stringify(request),
      });
      body = await response.json();
    } catch {
      return failure(UNREACHABLE_MESSAGE);
    }
    const result = toResult(name, response.status, body);
    if (
      !result.ok &&
      response.status === 401 &&
      result.error.code === 'unauthenticated' &&
      result.error.message === NO_PANEL_SESSION_MESSAGE
    ) {
      options.onPanelSessionLost?.();
    }
    return result;
  }

  const calls = Object.fromEntries(
    channelNames.map((name) => [name, (request: RequestOf<typeof name>) => call(name, request)]),
  ) as unknown as PanelCalls;

  const listeners = new Set<(event: PanelEvent) => void>();
  let source: EventSourceLike | null = null;

  function subscribe(listener: (event: PanelEvent) => void): () => void {
    listeners.add(listener);
    if (!source && makeSource) {
      source = makeSource('events');
      source.listen((raw) => {
        let data: unknown;
        try {
          data = typeof raw === 'string' ? JSON.parse(raw) : null;
        } catch {
          return;
        }
        const parsed = eventSchema.safeParse(data);
        if (!parsed.success) return;
        for (const l of [...listeners]) l(parsed.data);
      });
    }
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0 && source) {
        source.close();
        source = null;
      }
    };
  }

  // TODO(issue 8): heartbeat-based connection watch.
  const watchConnection = (_listener: (connected: boolean) => void) => () => {};

  return { ...calls, subscribe, watchConnection, transport: 'http' };
}
