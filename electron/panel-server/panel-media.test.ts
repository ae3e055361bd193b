/**
 * The headless panel's media routes end to end over real HTTP: who may fetch, files through the core's
 * capture store with their path checks, the socket-paced preview and its end on logout, the connection
 * signals on /events, and panel sessions that survive a restart.
 */
import { request, type IncomingMessage } from 'node:http';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_CAMERA } from '../../shared/domain/camera.js';
import type { CamPanelCore } from '../core/campanel-core.js';
import { cameraDir, photoRoot } from '../pipeline/capture-files.js';
import { startTestPanel, type PanelServer, type TestPanel } from '../test-support/panel-kit.js';
import { SESSION_FILE_NAME } from './session-file.js';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

let kit: TestPanel;
let core: CamPanelCore;
let panel: PanelServer;

beforeEach(async () => {
  kit = await startTestPanel('campanel-media-panel-');
  ({ core, panel } = kit);
});
afterEach(() => kit.close());

function send(path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: panel.port, path, method: options.method ?? 'GET', headers: options.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

/** Opens a long-lived GET and resolves at its head; the caller destroys it. */
function open(path: string, cookie: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: panel.port, path, agent: false, headers: { Cookie: cookie } }, resolve);
    req.on('error', reject);
    req.end();
  });
}

async function newSession(url = panel.issueUrl()): Promise<string> {
  const parsed = new URL(url);
  const answer = await send(`${parsed.pathname}${parsed.search}`);
  expect(answer.status).toBe(303);
  return String(answer.headers['set-cookie'] ?? '').split(';')[0] ?? '';
}

const rpc = async (cookie: string, channel: string, body: unknown) => {
  const answer = await send(`/rpc/${channel}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-CamPanel': '1', Cookie: cookie },
    body: JSON.stringify(body),
  });
  return JSON.parse(answer.body.toString()) as { ok: boolean; value?: unknown };
};

async function admin(): Promise<string> {
  const cookie = await newSession();
  expect((await rpc(cookie, 'createAdmin', { name: 'ada', password: 'ada-password-1' })).ok).toBe(true);
  return cookie;
}

async function capture(name: string, bytes: Buffer): Promise<void> {
  const dir = cameraDir(photoRoot(core.dataDir, core.settings.get().camera.photoDir), 0);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, name), bytes);
}

const json = (answer: Answer) => JSON.parse(answer.body.toString()) as Record<string, unknown>;

describe('/media access', () => {
  it('refuses with 401 JSON: no session, a session nobody logged into, a user who must change the password', async () => {
    await capture('a.jpg', Buffer.from('jpeg bytes'));
    const target = '/media/captures/camera_0/a.jpg';
    const none = await send(target);
    expect(none.status).toBe(401);
    expect(json(none)).toEqual({ error: 'No panel session' });

    const anonymous = await newSession();
    expect((await send(target, { headers: { Cookie: anonymous } })).status).toBe(401);

    const owner = await admin();
    expect((await rpc(owner, 'addUser', { name: 'bob', password: 'initial-pass-1', role: 'user' })).ok).toBe(true);
    const bob = await newSession();
    expect((await rpc(bob, 'login', { name: 'bob', password: 'initial-pass-1' })).ok).toBe(true);
    const initial = await send(target, { headers: { Cookie: bob } });
    expect(initial.status).toBe(401);
    expect(json(initial)).toEqual({ error: 'Set your own password first' });

    expect((await send(target, { headers: { Cookie: owner } })).status).toBe(200);
    await rpc(owner, 'logout', {});
    expect((await send(target, { headers: { Cookie: owner } })).status).toBe(401);
  });

  it('serves a capture with ranges and a download name, and refuses traversal whatever the spelling', async () => {
    const cookie = await admin();
    const bytes = Buffer.from(Array.from({ length: 500 }, (_, index) => index % 256));
    await capture('clip.mp4', bytes);
    await writeFile(join(core.dataDir, 'outside.jpg'), 'outside the photo directory');
    const whole = await send('/media/captures/camera_0/clip.mp4', { headers: { Cookie: cookie } });
    expect(whole.status).toBe(200);
    expect(whole.headers['content-type']).toBe('video/mp4');
    expect(whole.headers['accept-ranges']).toBe('bytes');
    expect(whole.body.equals(bytes)).toBe(true);
    const part = await send('/media/captures/camera_0/clip.mp4', { headers: { Cookie: cookie, Range: 'bytes=10-19' } });
    expect(part.status).toBe(206);
    expect(part.body.equals(bytes.subarray(10, 20))).toBe(true);
    expect((await send('/media/captures/camera_0/clip.mp4', { headers: { Cookie: cookie, Range: 'bytes=900-' } })).status).toBe(416);
    const download = await send('/media/captures/camera_0/clip.mp4?download=1', { headers: { Cookie: cookie } });
    expect(download.headers['content-disposition']).toBe('attachment; filename="clip.mp4"');
    for (const target of [
      '/media/captures/camera_0/../../outside.jpg',
      '/media/captures/camera_0/%2e%2e/%2e%2e/outside.jpg',
      '/media/captures/..%2f..%2foutside.jpg',
      '/media/captures/camera_0%5c..%5c..%5coutside.jpg',
      '/media/captures/camera_0//outside.jpg',
      '/media/captures/camera_0/outside.jpg%00',
      '/media/thumbs/camera_0/%2e%2e%2f%2e%2e%2foutside.jpg',
    ]) {
      const answer = await send(target, { headers: { Cookie: cookie } });
      expect([400, 404], target).toContain(answer.status);
      expect(answer.headers['content-type']).toMatch(/^application\/json/);
      expect(answer.body.toString()).not.toContain('outside the photo directory');
    }
  });
});

describe('/media/preview over HTTP', () => {
  /** One configured camera that looks running; the test publishes frames as the frame reader would. */
  function runningCamera() {
    core.settings.setCamera({ ...core.settings.get().camera, cameras: [{ backend: 'testsrc', device: 'testsrc2', ...DEFAULT_CAMERA }] });
    vi.spyOn(core.camera, 'state').mockReturnValue({ ...core.camera.state(), state: 'running' });
  }

  it('refuses a camera that is not configured (404) and a pipeline that is down (503)', async () => {
    const cookie = await admin();
    const missing = await send('/media/preview/0', { headers: { Cookie: cookie } });
    expect(missing.status).toBe(404);
    expect(json(missing)).toEqual({ error: 'Camera 0 is not configured' });
    core.settings.setCamera({ ...core.settings.get().camera, cameras: [{ backend: 'testsrc', device: 'testsrc2', ...DEFAULT_CAMERA }] });
    const down = await send('/media/preview/0', { headers: { Cookie: cookie } });
    expect(down.status).toBe(503); // never started here: "stopped"
  });

  it('streams MJPEG parts counted as a client, and ends the stream when its session logs out', async () => {
    runningCamera();
    const cookie = await admin();
    const stream = await open('/media/preview/0', cookie);
    expect(stream.statusCode).toBe(200);
    expect(stream.headers['content-type']).toBe('multipart/x-mixed-replace; boundary=frame');
    let received = '';
    stream.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    const ended = new Promise((resolve) => stream.on('close', resolve));
    await vi.waitFor(() => expect(core.camera.streams.clients(0)).toBe(1));
    core.camera.hub.publish(0, Buffer.from('JPEGDATA'), 12.5);
    await vi.waitFor(() => expect(received).toContain('X-Timestamp: 12.500000\r\n\r\nJPEGDATA'));
    await rpc(cookie, 'logout', {});
    await ended;
    await vi.waitFor(() => expect(core.camera.streams.clients(0)).toBe(0));
  });

  it('ends open previews when the server closes', async () => {
    runningCamera();
    const stream = await open('/media/preview/0', await admin());
    const ended = new Promise((resolve) => stream.on('close', resolve));
    await vi.waitFor(() => expect(core.camera.streams.clients(0)).toBe(1));
    stream.resume();
    await panel.close();
    await ended;
  });
});

describe('/events connection signals', () => {
  it('sets a 1 s retry, pings every second and says "closing" before the server stops', async () => {
    const stream = await open('/events', await newSession());
    let text = '';
    stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
    const ended = new Promise((resolve) => stream.on('end', resolve));
    await vi.waitFor(() => expect(text).toContain('retry: 1000\n'));
    await vi.waitFor(() => expect(text).toContain('event: ping\ndata: {}\n\n'), { timeout: 2500 });
    await panel.close();
    await ended;
    expect(text.endsWith('data: {"topic":"closing"}\n\n')).toBe(true);
  });
});

describe('panel sessions across a restart', () => {
  it('a logged-in cookie keeps working after the panel server restarts on the same data directory', async () => {
    const cookie = await admin();
    const anonymous = await newSession();
    panel = await kit.restart();
    expect(await rpc(cookie, 'sessionState', {})).toMatchObject({ ok: true, value: { phase: 'ready', user: { name: 'ada' } } });
    expect(await rpc(anonymous, 'sessionState', {})).toMatchObject({ ok: true, value: { phase: 'login' } });
    const file = await readFile(join(core.dataDir, SESSION_FILE_NAME), 'utf8');
    expect(file).not.toContain(decodeURIComponent(cookie.split('=')[1] ?? 'x'));
    expect(file).toContain('"ada"');
  });

  it('an ended session stays ended after a restart', async () => {
    const cookie = await admin();
    await rpc(cookie, 'logout', {});
    panel = await kit.restart();
    expect(await rpc(cookie, 'sessionState', {})).toMatchObject({ value: { phase: 'login', user: null } });
    const stored = JSON.parse(await readFile(join(core.dataDir, SESSION_FILE_NAME), 'utf8')) as { sessions: { lastSeen: number }[] };
    // Past the idle limit by the clock in the file: the next start drops them.
    for (const each of stored.sessions) each.lastSeen -= 3 * 60 * 60 * 1000;
    await writeFile(join(core.dataDir, SESSION_FILE_NAME), JSON.stringify(stored));
    panel = await kit.restart();
    expect((await send('/', { headers: { Cookie: cookie } })).status).toBe(401);
  });
});
