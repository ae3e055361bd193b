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

/** What an event stream reports besides its messages: opened, failed, and the server's heartbeat. */
export interface EventSourceSignals {
  open?(): void;
  error?(): void;
  /** `event: ping`, sent by the server every second so silence means it is gone. */
  ping?(): void;
}

/** The part of EventSource we use, so tests can stand in for it. */
export interface EventSourceLike {
  listen(onData: (data: unknown) => void, signals?: EventSourceSignals): void;
  close(): void;
}

/**
 * How the connection watch decides: no message or ping for `silenceMs` means the server is gone (it pings
 * every second); a new stream is tried every `retryMs`, because EventSource gives up after a refused answer.
 */
export const CONNECTION_TIMING = { silenceMs: 2_500, retryMs: 1_000 } as const;

function browserEventSource(url: string): EventSourceLike {
  const source = new EventSource(url);
  return {
    listen: (onData, signals = {}) => {
      source.addEventListener('message', (event) => onData(event.data));
      source.addEventListener('open', () => signals.open?.());
      source.addEventListener('error', () => signals.error?.());
      source.addEventListener('ping', () => signals.ping?.());
    },
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
  const watchers = new Set<(connected: boolean) => void>();
  let source: EventSourceLike | null = null;
  /** null until the first stream opened or failed. */
  let connected: boolean | null = null;
  let silenceTimer: ReturnType<typeof setTimeout> | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  const timing = CONNECTION_TIMING;

  const active = () => listeners.size + watchers.size > 0;

  function report(next: boolean) {
    if (connected === next) return;
    connected = next;
    for (const watcher of [...watchers]) watcher(next);
  }

  function clearTimers() {
    if (silenceTimer) clearTimeout(silenceTimer);
    if (retryTimer) clearTimeout(retryTimer);
    silenceTimer = retryTimer = null;
  }

  function closeSource() {
    source?.close();
    source = null;
  }

  /** The stream failed, went silent or the server said it is closing: say so, then try again. */
  function lost() {
    clearTimers();
    closeSource();
    report(false);
    retryTimer = setTimeout(() => void retry(), timing.retryMs);
  }

  /**
   * Asks whether the server answers before opening a stream: an EventSource cannot tell "down" from
   * "refused", and a server that came back without our panel session must lead to the link-expired path.
   */
  async function retry() {
    retryTimer = null;
    if (!active()) return;
    const probe = await call('sessionState', {});
    if (!active() || source || retryTimer) return;
    if (!probe.ok && probe.error.message === UNREACHABLE_MESSAGE) {
      retryTimer = setTimeout(() => void retry(), timing.retryMs);
      return;
    }
    if (!probe.ok && probe.error.message === NO_PANEL_SESSION_MESSAGE) {
      // It answers; call() has told the app the session is gone. Nothing left to stream.
      report(true);
      return;
    }
    openSource();
  }

  function armSilence() {
    if (silenceTimer) clearTimeout(silenceTimer);
    silenceTimer = setTimeout(lost, timing.silenceMs);
  }

  function openSource() {
    if (!makeSource) return;
    const current = makeSource('events');
    source = current;
    const mine = () => source === current;
    current.listen(
      (raw) => {
        if (!mine()) return;
        armSilence();
        let data: unknown;
        try {
          data = typeof raw === 'string' ? JSON.parse(raw) : null;
        } catch {
          return;
        }
        const parsed = eventSchema.safeParse(data);
        if (!parsed.success) return;
        for (const l of [...listeners]) l(parsed.data);
        if (parsed.data.topic === 'closing') lost();
      },
      {
        open: () => {
          if (!mine()) return;
          armSilence();
          report(true);
        },
        ping: () => {
          if (mine()) armSilence();
        },
        error: () => {
          if (mine()) lost();
        },
      },
    );
    armSilence();
  }

  function start() {
    if (!source && !retryTimer) openSource();
  }

  function stopIfIdle() {
    if (active()) return;
    clearTimers();
    closeSource();
    connected = null;
  }

  function subscribe(listener: (event: PanelEvent) => void): () => void {
    listeners.add(listener);
    start();
    return () => {
      listeners.delete(listener);
      stopIfIdle();
    };
  }

  function watchConnection(listener: (connected: boolean) => void): () => void {
    watchers.add(listener);
    start();
    if (connected === false) listener(false);
    return () => {
      watchers.delete(listener);
      stopIfIdle();
    };
  }

  return { ...calls, subscribe, watchConnection, transport: 'http' };
}
