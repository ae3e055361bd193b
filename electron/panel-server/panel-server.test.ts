import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CamPanelCore } from '../core/campanel-core.js';
import { createHandlers } from '../handlers/index.js';
import { HandlerRegistry } from '../registry/handler-registry.js';
import { startPanelServer, type PanelServer } from './panel-server.js';

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

let dir: string;
let core: CamPanelCore;
let panel: PanelServer;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'campanel-panel-'));
  const rendererDir = join(dir, 'renderer');
  await mkdir(join(rendererDir, 'assets'), { recursive: true });
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>panel</title>');
  await writeFile(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  core = await CamPanelCore.open({ dataDir: join(dir, 'data'), logger: pino({ level: 'silent' }) });
  const registry = new HandlerRegistry(createHandlers(core), (name) => core.users.get(name));
  panel = await startPanelServer({ core, registry, rendererDir, port: 0 });
});

afterEach(async () => {
  await panel.close();
  await core.close();
  await rm(dir, { recursive: true, force: true });
});

async function session(): Promise<string> {
  const token = new URL(panel.url).searchParams.get('token') ?? '';
  const answer = await send(panel.port, `/?token=${token}`);
  const cookie = String(answer.headers['set-cookie'] ?? '');
  return cookie.split(';')[0] ?? '';
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
    expect((await send(panel.port, '/?token=wrong')).status).toBe(401);
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
});
