/**
 * The `campanel://` protocol through the fake electron module's `protocol`, as the window would use it:
 * the page, its assets (and nothing beside them), media only while a window is logged in, and the preview
 * as a pull-based stream from a real FrameHub.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MediaHandler } from '../media/media-handler.js';
import { PartReader } from '../media/test-multipart.js';
import { jpegOf, testCaptureStore, testPreviewCamera } from '../media/test-media-kit.js';
import { PANEL_CSP } from '../panel-server/panel-csp.js';
import { createFakeElectron, type FakeProtocol } from '../test-support/fake-electron.js';
import { APP_PAGE_URL, handleAppProtocol, registerAppScheme } from './app-protocol.js';

let dir: string;
let protocol: FakeProtocol;
let camera: ReturnType<typeof testPreviewCamera>;
let media: MediaHandler;
let loggedIn: boolean;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'campanel-protocol-'));
  const rendererDir = join(dir, 'out', 'renderer');
  await mkdir(join(rendererDir, 'assets', 'fonts'), { recursive: true });
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>CamPanel</title>');
  await writeFile(join(rendererDir, 'assets', 'index-abc.js'), 'console.log(1)');
  await writeFile(join(rendererDir, 'assets', 'index-abc.css'), 'body{}');
  await writeFile(join(rendererDir, 'assets', 'fonts', 'x.woff2'), 'font');
  await writeFile(join(dir, 'package.json'), '{"name":"secret-package"}');
  await writeFile(join(dir, 'out', 'secret.txt'), 'secret');
  const photos = join(dir, 'photos');
  const store = await testCaptureStore(photos);
  await writeFile(join(photos, 'camera_0', 'shot.jpg'), jpegOf(7, 200));
  camera = testPreviewCamera();
  media = new MediaHandler(store, camera, { error: () => undefined });
  loggedIn = false;
  const fake = createFakeElectron(dir);
  protocol = fake.protocol;
  registerAppScheme(protocol);
  await fake.module.app.whenReady();
  handleAppProtocol(protocol, { rendererDir, media, isLoggedIn: () => loggedIn });
});

afterEach(async () => {
  media.close();
  await rm(dir, { recursive: true, force: true });
});

describe('campanel:// scheme', () => {
  it('is registered as privileged before ready: standard, secure, fetch and streaming', () => {
    expect(protocol.privileged).toEqual([{ scheme: 'campanel', privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } }]);
    expect(() => registerAppScheme(protocol)).toThrow(/before app is ready/);
    expect(protocol.isProtocolHandled('campanel')).toBe(true);
  });

  it('serves index.html at / and /index.html with the strict CSP', async () => {
    for (const url of ['campanel://app/', APP_PAGE_URL]) {
      const answer = await protocol.fetch(url);
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-type')).toMatch(/^text\/html/);
      expect(answer.headers.get('content-security-policy')).toBe(PANEL_CSP);
      expect(await answer.text()).toContain('<title>CamPanel</title>');
    }
  });

  it('serves assets with their MIME types', async () => {
    const script = await protocol.fetch('campanel://app/assets/index-abc.js');
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await script.text()).toBe('console.log(1)');
    expect((await protocol.fetch('campanel://app/assets/index-abc.css')).headers.get('content-type')).toMatch(/^text\/css/);
    expect((await protocol.fetch('campanel://app/assets/fonts/x.woff2')).headers.get('content-type')).toBe('font/woff2');
  });

  it.each([
    'campanel://app/assets/../../package.json',
    'campanel://app/assets/%2e%2e/%2e%2e/package.json',
    'campanel://app/assets/..%2f..%2fpackage.json',
    'campanel://app/assets/..%5c..%5csecret.txt',
    'campanel://app/assets/fonts/%2e%2e%2f%2e%2e%2f..%2fsecret.txt',
    'campanel://app/assets/x.js%00.css',
    'campanel://app/assets/',
    'campanel://app/assets/missing.js',
    'campanel://app/package.json',
    'campanel://app/../package.json',
    'campanel://other/index.html',
    'campanel://app.evil/index.html',
  ])('refuses %s with 404 and nothing of the file', async (url) => {
    const answer = await protocol.fetch(url);
    expect(answer.status).toBe(404);
    const text = await answer.text();
    expect(text).not.toContain('secret');
    expect(text).not.toContain('<title>');
  });

  it('refuses media while no window is logged in, and serves them once one is', async () => {
    const refused = await protocol.fetch('campanel://app/media/captures/camera_0/shot.jpg');
    expect(refused.status).toBe(401);
    expect(await refused.json()).toEqual({ error: 'Please log in' });
    expect((await protocol.fetch('campanel://app/media/preview/0')).status).toBe(401);
    expect(camera.holds.get(0)).toBeUndefined();
    loggedIn = true;
    const served = await protocol.fetch('campanel://app/media/captures/camera_0/shot.jpg', { headers: { Range: 'bytes=0-9' } });
    expect(served.status).toBe(206);
    expect(Buffer.from(await served.arrayBuffer()).equals(jpegOf(7, 200).subarray(0, 10))).toBe(true);
    const traversal = await protocol.fetch('campanel://app/media/captures/camera_0%2f..%2f..%2f..%2fpackage.json');
    expect(traversal.status).toBe(400);
  });

  it('streams the preview from the frame hub: parseable parts with increasing X-Timestamp, no port opened', async () => {
    loggedIn = true;
    camera.hub.publish(0, jpegOf(1), 100.25);
    const answer = await protocol.fetch('campanel://app/media/preview/0');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('multipart/x-mixed-replace; boundary=frame');
    const reader = answer.body?.getReader();
    if (!reader) throw new Error('no body');
    const parts = new PartReader(reader);
    const first = await parts.next();
    setTimeout(() => camera.hub.publish(0, jpegOf(2), 100.5), 10);
    const second = await parts.next();
    expect(first.headers['x-timestamp']).toBe('100.250000');
    expect(Number(second.headers['x-timestamp'])).toBeGreaterThan(Number(first.headers['x-timestamp']));
    expect(second.body.equals(jpegOf(2))).toBe(true);
    expect(camera.holds.get(0)).toBe(1);
    // The window logs out: the stream ends at its next frame and lets go of the camera.
    loggedIn = false;
    camera.hub.publish(0, jpegOf(3), 101);
    expect((await reader.read()).done).toBe(true);
    expect(camera.holds.get(0)).toBe(0);
  });
});
