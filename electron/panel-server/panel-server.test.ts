import { request, type IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestPanel } from '../test-support/panel-kit.js';
import { CamPanelCore } from '../core/campanel-core.js';
import type { PanelServer } from './panel-server.js';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function send(port: number, path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: options.headers }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

let core: CamPanelCore;
let panel: PanelServer;
let close: () => Promise<void>;

beforeEach(async () => {
  ({ core, panel, close } = await startTestPanel('campanel-panel-'));
});

afterEach(() => close());

const pathOf = (url: string) => {
  const parsed = new URL(url);
  return `${parsed.pathname}${parsed.search}`;
};

/** Exchanges a panel link (by default the one printed at start) for a session cookie. */
async function session(url = panel.url): Promise<string> {
  const answer = await send(panel.port, pathOf(url));
  expect(answer.status).toBe(303);
  const cookie = String(answer.headers['set-cookie'] ?? '');
  return cookie.split(';')[0] ?? '';
}

/** Opens `/events` and resolves once its head has arrived; the caller destroys the response. */
function openStream(cookie: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: panel.port, path: '/events', agent: false, headers: { Cookie: cookie } }, resolve);
    req.on('error', reject);
    req.end();
  });
}

/** Sends `text` as it is on a new connection and resolves with the whole answer. */
function sendRaw(text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(panel.port, '127.0.0.1', () => socket.write(text)); // the server closes (Connection: close)
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
  });
}

const rpc = (cookie: string | null, channel: string, body: unknown, headers: Record<string, string> = {}) =>
  send(panel.port, `/rpc/${channel}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-CamPanel': '1', ...(cookie ? { Cookie: cookie } : {}), ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('panel server', () => {
  it('prints a loopback URL and exchanges its token for an HttpOnly SameSite=Strict cookie', async () => {
    expect(panel.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{32}$/);
    const token = new URL(panel.url).searchParams.get('token') ?? '';
    const answer = await send(panel.port, `/?token=${token}`);
    expect(answer.status).toBe(303);
    expect(answer.headers.location).toBe('/');
    const cookie = String(answer.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
  });

  it('refuses a wrong token, and the page and channels without a session', async () => {
    const wrong = await send(panel.port, '/?token=zzqx-probe');
    expect(wrong.status).toBe(401);
    expect(wrong.headers['content-type']).toMatch(/text\/html/);
    expect(wrong.body).toContain('campanel panel-url'); // says how to get a link that works
    expect(wrong.body).not.toContain('zzqx'); // echoes nothing it was sent
    expect((await send(panel.port, '/')).status).toBe(401);
    const noSession = await rpc(null, 'sessionState', {});
    expect(noSession.status).toBe(401);
    expect(JSON.parse(noSession.body)).toEqual({ ok: false, error: { code: 'unauthenticated', message: 'No panel session' } });
  });

  it('serves the page and answers channels with a session', async () => {
    const cookie = await session();
    expect((await send(panel.port, '/', { headers: { Cookie: cookie } })).body).toContain('<title>panel</title>');
    const state = await rpc(cookie, 'sessionState', {});
    expect(state.status).toBe(200);
    expect(JSON.parse(state.body)).toEqual({ ok: true, value: { phase: 'firstRun', user: null } });
  });

  it('refuses calls without the X-CamPanel header (cross-site forms cannot set it)', async () => {
    const cookie = await session();
    const answer = await rpc(cookie, 'sessionState', {}, { 'X-CamPanel': '' });
    expect(answer.status).toBe(403);
  });

  it('answers bad requests with a JSON Result, never HTML', async () => {
    const cookie = await session();
    const cases = [
      await rpc(cookie, 'noSuchChannel', {}),
      await rpc(cookie, 'login', '{not json'),
      await rpc(cookie, 'login', { name: 'a', password: 'b', extra: 1 }),
      await rpc(cookie, 'login', JSON.stringify({ name: 'a', password: 'x'.repeat(600 * 1024) })),
    ];
    for (const answer of cases) {
      expect(answer.status).toBeGreaterThanOrEqual(400);
      expect(answer.status).toBeLessThan(500);
      expect(answer.headers['content-type']).toMatch(/application\/json/);
      expect(JSON.parse(answer.body).ok).toBe(false);
    }
  });

  it('refuses a Host other than its loopback address (DNS rebinding)', async () => {
    const answer = await send(panel.port, '/', { headers: { Host: `evil.example:${panel.port}` } });
    expect(answer.status).toBe(421);
  });

  it('sends a strict CSP and no-referrer on every answer', async () => {
    const answer = await send(panel.port, '/assets/app.js');
    expect(answer.status).toBe(200);
    expect(answer.headers['content-security-policy']).toContain("script-src 'self'");
    expect(answer.headers['referrer-policy']).toBe('no-referrer');
  });

  it('refuses a request with two Host headers', async () => {
    const host = `127.0.0.1:${panel.port}`;
    const answer = await sendRaw(`GET /assets/app.js HTTP/1.1\r\nHost: ${host}\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    const single = await sendRaw(`GET /assets/app.js HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
    expect(single).toMatch(/^HTTP\/1\.1 200 /);
  });
});

describe('panel links', () => {
  it('open the panel once: a second exchange is refused with a page that says how to get a fresh link', async () => {
    const cookie = await session();
    const again = await send(panel.port, pathOf(panel.url));
    expect(again.status).toBe(401);
    expect(again.headers['set-cookie']).toBeUndefined();
    expect(again.body).toContain('campanel panel-url');
    expect(again.body).toContain('campanel serve');
    // The page's stylesheet comes from the server itself (the CSP allows no inline style).
    const css = await send(panel.port, '/panel-page.css');
    expect(css.status).toBe(200);
    expect(css.headers['content-type']).toMatch(/text\/css/);
    // In the browser that used it, reopening the link keeps its session.
    const reopened = await send(panel.port, pathOf(panel.url), { headers: { Cookie: cookie } });
    expect(reopened.status).toBe(303);
    expect((await send(panel.port, '/', { headers: { Cookie: cookie } })).status).toBe(200);
  });

  it('issues fresh single-use links', async () => {
    const fresh = panel.issueUrl();
    expect(fresh).not.toBe(panel.url);
    expect(fresh).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{32}$/);
    await session(fresh);
    expect((await send(panel.port, pathOf(fresh))).status).toBe(401);
    await session(); // the link printed at start is still unused
  });

  it('limits wrong links per address with a 429 page', async () => {
    for (let attempt = 0; attempt < 10; attempt++) expect((await send(panel.port, `/?token=guess${attempt}`)).status).toBe(401);
    const blocked = await send(panel.port, pathOf(panel.issueUrl()));
    expect(blocked.status).toBe(429);
    expect(blocked.headers['content-type']).toMatch(/text\/html/);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(blocked.body).toMatch(/Try again in \d+ seconds?\./);
  });

  it('a flood of exchanges never evicts a logged-in session', async () => {
    const admin = await session();
    expect((await rpc(admin, 'createAdmin', { name: 'admin', password: 'correct-horse-1' })).status).toBe(200);
    for (let round = 0; round < 250; round++) await session(panel.issueUrl());
    const state = await rpc(admin, 'sessionState', {});
    expect(JSON.parse(state.body)).toMatchObject({ ok: true, value: { user: { name: 'admin' } } });
  });
});

describe('/events', () => {
  it('sends the security headers the other routes send', async () => {
    const stream = await openStream(await session());
    try {
      expect(stream.statusCode).toBe(200);
      expect(stream.headers['content-type']).toBe('text/event-stream');
      expect(stream.headers['content-security-policy']).toContain("default-src 'self'");
      expect(stream.headers['x-content-type-options']).toBe('nosniff');
      expect(stream.headers['referrer-policy']).toBe('no-referrer');
      expect(stream.headers['x-frame-options']).toBe('DENY');
      expect(stream.headers['cache-control']).toBe('no-store');
    } finally {
      stream.destroy();
    }
  });

  it('150 open streams: one listener on the core, no MaxListeners warning, every stream gets each event', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.name);
    process.on('warning', onWarning);
    const streams: IncomingMessage[] = [];
    try {
      for (let tab = 0; tab < 10; tab++) {
        const cookie = await session(panel.issueUrl());
        for (let count = 0; count < 15; count++) streams.push(await openStream(cookie));
      }
      expect(streams.every((stream) => stream.statusCode === 200)).toBe(true);
      expect(core.events.listenerCount('event')).toBe(1);
      const received = streams.map(
        (stream) => new Promise<void>((resolve) => stream.on('data', (chunk: Buffer) => chunk.toString().includes('"topic":"users"') && resolve())),
      );
      core.emit('users');
      await Promise.all(received);
      await new Promise((resolve) => setImmediate(resolve)); // a warning is emitted on the next tick
      expect(warnings).toEqual([]);
    } finally {
      process.off('warning', onWarning);
      for (const stream of streams) stream.destroy();
    }
  });

  it('bounds the streams of one panel session', async () => {
    const cookie = await session();
    const streams: IncomingMessage[] = [];
    try {
      for (let count = 0; count < 16; count++) streams.push(await openStream(cookie));
      const refused = await send(panel.port, '/events', { headers: { Cookie: cookie } });
      expect(refused.status).toBe(429);
      expect(JSON.parse(refused.body)).toMatchObject({ ok: false, error: { code: 'conflict' } });
      expect(refused.headers['x-content-type-options']).toBe('nosniff');
    } finally {
      for (const stream of streams) stream.destroy();
    }
  });
});
