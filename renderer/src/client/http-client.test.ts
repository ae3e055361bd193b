import { afterEach, describe, expect, it, vi } from 'vitest';
import { channelNames } from '../../../shared/contract';
import { DEFAULT_SETTINGS } from '../../../shared/domain';
import {
  NO_PANEL_SESSION_MESSAGE,
  UNEXPECTED_MESSAGE,
  UNREACHABLE_MESSAGE,
  createHttpClient,
  type EventSourceLike,
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
