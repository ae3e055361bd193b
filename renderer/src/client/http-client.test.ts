import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { channelNames } from '../../../shared/contract';
import { DEFAULT_SETTINGS } from '../../../shared/domain';
import {
  NO_PANEL_SESSION_MESSAGE,
  UNEXPECTED_MESSAGE,
  UNREACHABLE_MESSAGE,
  createHttpClient,
  type EventSourceLike,
  type EventSourceSignals,
} from './http-client';

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

function clientWith(answer: () => Promise<Response>, extra: Parameters<typeof createHttpClient>[0] = {}) {
  const fetchStub = vi.fn((_input: RequestInfo | URL, _init?: RequestInit) => answer());
  const client = createHttpClient({ fetch: fetchStub as unknown as typeof fetch, eventSource: null, ...extra });
  return { client, fetchStub };
}

afterEach(() => vi.unstubAllGlobals());

describe('http client', () => {
  it('has one function per contract channel, plus subscribe and transport', () => {
    const { client } = clientWith(async () => json(200, {}));
    for (const name of channelNames) expect(typeof client[name]).toBe('function');
    expect(client.transport).toBe('http');
  });

  it('POSTs the request as JSON to rpc/<channel> with the CSRF header and same-origin cookies', async () => {
    const { client, fetchStub } = clientWith(async () => json(200, { ok: true, value: { phase: 'login', user: null } }));
    await client.login({ name: 'ann', password: 'secret' });
    const [url, init] = fetchStub.mock.calls[0]!;
    expect(url).toBe('rpc/login');
    expect(init).toMatchObject({
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-CamPanel': '1' },
    });
    expect(JSON.parse(String(init?.body))).toEqual({ name: 'ann', password: 'secret' });
  });

  it('parses a successful answer with the channel response schema', async () => {
    const value = { settings: DEFAULT_SETTINGS, warnings: [], backupPath: null };
    const { client } = clientWith(async () => json(200, { ok: true, value }));
    expect(await client.getSettings({})).toEqual({ ok: true, value });
  });

  it('refuses a success whose value does not match the contract', async () => {
    const { client } = clientWith(async () => json(200, { ok: true, value: { phase: 'nope', user: null } }));
    expect(await client.sessionState({})).toEqual({ ok: false, error: { code: 'internal', message: UNEXPECTED_MESSAGE } });
  });

  it('passes a JSON error body through, fields included, even for HTTP 4xx', async () => {
    const error = { code: 'invalid', message: 'Check the form', fields: { port: 'Port must be 1 to 65535' } };
    const { client } = clientWith(async () => json(400, { ok: false, error }));
    expect(await client.setApiSettings({ ...DEFAULT_SETTINGS.api })).toEqual({ ok: false, error });
  });

  it('maps a network failure to "cannot be reached"', async () => {
    const { client } = clientWith(async () => {
      throw new TypeError('Failed to fetch');
    });
    expect(await client.sessionState({})).toEqual({ ok: false, error: { code: 'internal', message: UNREACHABLE_MESSAGE } });
  });

  it('maps a non-JSON answer (e.g. a proxy error page) to "cannot be reached"', async () => {
    const { client } = clientWith(async () => new Response('<html>Bad gateway</html>', { status: 502 }));
    expect(await client.sessionState({})).toEqual({ ok: false, error: { code: 'internal', message: UNREACHABLE_MESSAGE } });
  });

  it('maps JSON that is not a Result to an unexpected answer', async () => {
    const { client } = clientWith(async () => json(500, { hello: 'world' }));
    expect(await client.sessionState({})).toEqual({ ok: false, error: { code: 'internal', message: UNEXPECTED_MESSAGE } });
  });

  it('reports a missing panel session (401 unauthenticated "No panel session")', async () => {
    const onPanelSessionLost = vi.fn();
    const error = { code: 'unauthenticated', message: NO_PANEL_SESSION_MESSAGE };
    const { client } = clientWith(async () => json(401, { ok: false, error }), { onPanelSessionLost });
    expect(await client.sessionState({})).toEqual({ ok: false, error });
    expect(onPanelSessionLost).toHaveBeenCalledTimes(1);
  });

  it('does not treat a wrong login as a lost panel session', async () => {
    const onPanelSessionLost = vi.fn();
    const error = { code: 'unauthenticated', message: 'Wrong name or password' };
    const { client } = clientWith(async () => json(401, { ok: false, error }), { onPanelSessionLost });
    await client.login({ name: 'ann', password: 'x' });
    expect(onPanelSessionLost).not.toHaveBeenCalled();
  });

  it('delivers parsed events from the events stream and closes it after the last unsubscribe', () => {
    let push: (data: unknown) => void = () => {};
    const close = vi.fn();
    const urls: string[] = [];
    const source: EventSourceLike = { listen: (fn) => (push = fn), close };
    const { client } = clientWith(async () => json(200, {}), {
      eventSource: (url) => {
        urls.push(url);
        return source;
      },
    });
    const seen: unknown[] = [];
    const stop = client.subscribe((e) => seen.push(e));
    push(JSON.stringify({ topic: 'api' }));
    push('not json');
    push(JSON.stringify({ topic: 'secrets' }));
    expect(urls).toEqual(['events']);
    expect(seen).toEqual([{ topic: 'api' }]);
    stop();
    expect(close).toHaveBeenCalledTimes(1);
  });
});

/** A stand-in EventSource per stream the client opens: the test drives open, ping, messages and errors. */
interface FakeStream {
  url: string;
  closed: boolean;
  message(data: unknown): void;
  signals: EventSourceSignals;
}

function streams() {
  const opened: FakeStream[] = [];
  const eventSource = (url: string): EventSourceLike => {
    const stream: FakeStream = { url, closed: false, message: () => {}, signals: {} };
    opened.push(stream);
    return {
      listen: (onData, signals = {}) => {
        stream.message = onData;
        stream.signals = signals;
      },
      close: () => {
        stream.closed = true;
      },
    };
  };
  return { opened, eventSource, last: () => opened[opened.length - 1]! };
}

describe('http client: connection watch', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  const sessionOk = () => json(200, { ok: true, value: { phase: 'login', user: null } });

  function watched(answer: () => Promise<Response> = async () => sessionOk(), onPanelSessionLost = vi.fn()) {
    const s = streams();
    const { client, fetchStub } = clientWith(answer, { eventSource: s.eventSource, onPanelSessionLost });
    const seen: boolean[] = [];
    const stop = client.watchConnection((connected) => seen.push(connected));
    return { ...s, client, fetchStub, seen, stop, onPanelSessionLost };
  }

  it('reports connected when the stream opens and stays connected while pings arrive', async () => {
    const w = watched();
    expect(w.opened.map((s) => s.url)).toEqual(['events']);
    w.last().signals.open?.();
    expect(w.seen).toEqual([true]);
    for (let i = 0; i < 5; i += 1) {
      await vi.advanceTimersByTimeAsync(1_000);
      w.last().signals.ping?.();
    }
    expect(w.seen).toEqual([true]);
    expect(w.opened).toHaveLength(1);
  });

  it('reports disconnected after 2.5 s without a ping or message', async () => {
    const w = watched();
    w.last().signals.open?.();
    await vi.advanceTimersByTimeAsync(2_400);
    expect(w.seen).toEqual([true]);
    await vi.advanceTimersByTimeAsync(200);
    expect(w.seen).toEqual([true, false]);
    expect(w.opened[0]!.closed).toBe(true);
  });

  it('reports disconnected at once on an error and on a "closing" message, which subscribers also get', async () => {
    const w = watched();
    const events: unknown[] = [];
    w.client.subscribe((e) => events.push(e));
    expect(w.opened).toHaveLength(1); // one stream for both
    w.last().signals.open?.();
    w.last().message(JSON.stringify({ topic: 'closing' }));
    expect(w.seen).toEqual([true, false]);
    expect(events).toEqual([{ topic: 'closing' }]);
    expect(w.opened[0]!.closed).toBe(true);

    await vi.advanceTimersByTimeAsync(1_000);
    w.last().signals.open?.();
    expect(w.seen).toEqual([true, false, true]);
    w.last().signals.error?.();
    expect(w.seen).toEqual([true, false, true, false]);
  });

  it('tries a new stream every second while the server is down, and reports connected when one opens', async () => {
    let up = true;
    const w = watched(async () => {
      if (!up) throw new TypeError('Failed to fetch');
      return sessionOk();
    });
    w.last().signals.open?.();
    up = false;
    w.last().signals.error?.();
    await vi.advanceTimersByTimeAsync(3_100);
    // Three probes, each refused: no stream is opened for a server that does not answer.
    expect(w.fetchStub).toHaveBeenCalledTimes(3);
    expect(w.fetchStub.mock.calls[0]![0]).toBe('rpc/sessionState');
    expect(w.opened).toHaveLength(1);
    up = true;
    await vi.advanceTimersByTimeAsync(1_000);
    expect(w.opened).toHaveLength(2);
    expect(w.seen).toEqual([true, false]);
    w.last().signals.open?.();
    expect(w.seen).toEqual([true, false, true]);
    // Events reach subscribers through the new stream.
    const events: unknown[] = [];
    w.client.subscribe((e) => events.push(e));
    w.last().message(JSON.stringify({ topic: 'camera' }));
    expect(events).toEqual([{ topic: 'camera' }]);
  });

  it('a stream that never opens counts as lost after 2.5 s', async () => {
    const w = watched();
    await vi.advanceTimersByTimeAsync(2_500);
    expect(w.seen).toEqual([false]);
  });

  it('when the server is back without the panel session, the session-lost path runs and retries stop', async () => {
    const w = watched(async () => json(401, { ok: false, error: { code: 'unauthenticated', message: NO_PANEL_SESSION_MESSAGE } }));
    w.last().signals.open?.();
    w.last().signals.error?.();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(w.onPanelSessionLost).toHaveBeenCalledTimes(1);
    expect(w.seen).toEqual([true, false, true]);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(w.fetchStub).toHaveBeenCalledTimes(1);
    expect(w.opened).toHaveLength(1);
  });

  it('ignores a replaced stream and stops everything after the last unsubscribe', async () => {
    const w = watched();
    const first = w.last();
    first.signals.open?.();
    first.signals.error?.();
    await vi.advanceTimersByTimeAsync(1_000);
    first.signals.open?.(); // late signal from the closed stream
    expect(w.seen).toEqual([true, false]);
    w.stop();
    expect(w.last().closed).toBe(true);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(w.opened).toHaveLength(2);
    expect(w.seen).toEqual([true, false]);
  });

  it('tells a late watcher at once that the connection is down', async () => {
    const w = watched();
    w.last().signals.error?.();
    const late: boolean[] = [];
    w.client.watchConnection((c) => late.push(c));
    expect(late).toEqual([false]);
  });
});

