import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FILE_CACHE, MediaHandler, THUMB_CACHE, toMediaRequest, type MediaRequest } from './media-handler.js';
import { PartReader } from './test-multipart.js';
import { jpegOf, testCaptureStore, testPreviewCamera } from './test-media-kit.js';

let dir: string;
let photos: string;
let handler: MediaHandler;
let camera: ReturnType<typeof testPreviewCamera>;
let store: Awaited<ReturnType<typeof testCaptureStore>>;
const errors: object[] = [];
const video = Buffer.from(Array.from({ length: 1000 }, (_, index) => index % 251));

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'campanel-media-'));
  photos = join(dir, 'photos');
  store = await testCaptureStore(photos);
  camera = testPreviewCamera();
  handler = new MediaHandler(store, camera, { error: (object) => errors.push(object) });
  await writeFile(join(photos, 'camera_0', 'clip.mp4'), video);
  await writeFile(join(photos, 'camera_0', 'shot.jpg'), jpegOf(9, 300));
  await writeFile(join(dir, 'settings.json'), '{"secret":true}');
});

afterEach(async () => {
  handler.close();
  await rm(dir, { recursive: true, force: true });
});

const get = (target: string, range: string | null = null, method = 'GET') => handler.handle({ method, target, range });
const bytes = async (response: Response) => Buffer.from(await response.arrayBuffer());

describe('media files', () => {
  it('streams a capture with its type, length, range support and no caching', async () => {
    const answer = await get('/media/captures/camera_0/clip.mp4');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('video/mp4');
    expect(answer.headers.get('content-length')).toBe('1000');
    expect(answer.headers.get('accept-ranges')).toBe('bytes');
    expect(answer.headers.get('cache-control')).toBe(FILE_CACHE);
    expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
    expect(answer.headers.get('content-disposition')).toBeNull();
    expect((await bytes(answer)).equals(video)).toBe(true);
  });

  it('answers a byte range with 206 and exactly those bytes (a <video> seeking)', async () => {
    const answer = await get('/media/captures/camera_0/clip.mp4', 'bytes=100-199');
    expect(answer.status).toBe(206);
    expect(answer.headers.get('content-range')).toBe('bytes 100-199/1000');
    expect(answer.headers.get('content-length')).toBe('100');
    expect((await bytes(answer)).equals(video.subarray(100, 200))).toBe(true);
    const tail = await get('/media/captures/camera_0/clip.mp4', 'bytes=-10');
    expect((await bytes(tail)).equals(video.subarray(990))).toBe(true);
  });

  it('answers a range past the end with 416 and the size', async () => {
    const answer = await get('/media/captures/camera_0/clip.mp4', 'bytes=5000-');
    expect(answer.status).toBe(416);
    expect(answer.headers.get('content-range')).toBe('bytes */1000');
    expect(await answer.json()).toEqual({ error: 'Range not satisfiable' });
  });

  it('adds Content-Disposition for ?download=1', async () => {
    const answer = await get('/media/captures/camera_0/shot.jpg?download=1');
    expect(answer.headers.get('content-disposition')).toBe('attachment; filename="shot.jpg"');
    expect(answer.headers.get('content-type')).toBe('image/jpeg');
  });

  it('answers HEAD with the headers and no body', async () => {
    const answer = await get('/media/captures/camera_0/clip.mp4', null, 'HEAD');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-length')).toBe('1000');
    expect(answer.body).toBeNull();
  });

  it('serves a thumbnail made once, cacheable, and 501 for a capture without one', async () => {
    const answer = await get('/media/thumbs/camera_0/shot.jpg');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('cache-control')).toBe(THUMB_CACHE);
    expect((await bytes(answer)).toString()).toBe('thumb of camera_0/shot.jpg');
    const none = await get('/media/thumbs/camera_0/clip.mp4');
    expect(none.status).toBe(501);
    expect(await none.text()).not.toContain(photos); // the store's message names the file; the answer does not
  });

  it.each([
    ['/media/captures/camera_0/../../settings.json', 400],
    ['/media/captures/camera_0/%2e%2e/%2e%2e/settings.json', 400],
    ['/media/captures/..%2f..%2fsettings.json', 400],
    ['/media/captures/camera_0%5C..%5C..%5Csettings.json', 400],
    ['/media/captures/camera_0//settings.json', 400],
    ['/media/captures/camera_0/x.jpg%00', 400],
    ['/media/captures/camera_0/missing.jpg', 404],
    ['/media/thumbs/camera_0/missing.jpg', 404],
  ])('refuses %s with %d, as JSON that echoes nothing', async (target, status) => {
    const answer = await get(target);
    expect(answer.status).toBe(status);
    expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
    const text = await answer.text();
    expect(JSON.parse(text)).toHaveProperty('error');
    expect(text).not.toContain('secret');
    expect(text).not.toContain(dir);
    expect(text).not.toContain('missing');
  });

  it('refuses a symlink inside the photo directory that points outside it (the store checks on disk)', async () => {
    await symlink(join(dir, 'settings.json'), join(photos, 'camera_0', 'link.jpg'));
    const answer = await get('/media/captures/camera_0/link.jpg');
    expect(answer.status).toBe(404);
    expect(await answer.text()).not.toContain('secret');
  });

  it('refuses other methods', async () => {
    expect((await get('/media/captures/camera_0/clip.mp4', null, 'DELETE')).status).toBe(405);
  });

  it('takes a WHATWG Request as Electron hands it over', async () => {
    const request = new Request('campanel://app/media/captures/camera_0/clip.mp4', { headers: { Range: 'bytes=0-9' } });
    const media: MediaRequest = toMediaRequest(request);
    expect(media).toEqual({ method: 'GET', target: '/media/captures/camera_0/clip.mp4', range: 'bytes=0-9' });
    expect((await handler.handle(media)).status).toBe(206);
  });

  it('reports an unexpected failure as a 500 without its text', async () => {
    const broken = new MediaHandler(
      { resolve: () => Promise.reject(new Error(`disk on fire at ${photos}`)), thumbnail: () => Promise.reject(new Error('x')) },
      camera,
      { error: (object) => errors.push(object) },
    );
    const answer = await broken.handle({ method: 'GET', target: '/media/captures/camera_0/clip.mp4', range: null });
    expect(answer.status).toBe(500);
    expect(await answer.text()).toBe('{"error":"Internal error"}');
    expect(errors.length).toBeGreaterThan(0);
  });
});

describe('media preview', () => {
  it('streams the camera as multipart parts and ends every preview on close()', async () => {
    camera.hub.publish(0, jpegOf(1), 5.5);
    const answer = await get('/media/preview/0');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('multipart/x-mixed-replace; boundary=frame');
    const reader = answer.body?.getReader();
    if (!reader) throw new Error('no body');
    const part = await new PartReader(reader).next();
    expect(part.headers['x-timestamp']).toBe('5.500000');
    expect(camera.holds.get(0)).toBe(1);
    handler.close();
    expect((await reader.read()).done).toBe(true);
    expect(camera.holds.get(0)).toBe(0);
  });

  it('refuses an unconfigured camera with 404 and a failed pipeline with 503, before any stream', async () => {
    expect((await get('/media/preview/3')).status).toBe(404);
    camera.pipeline = 'stopped';
    const down = await get('/media/preview/0');
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({ error: 'The camera pipeline is stopped' });
    expect(camera.holds.get(0)).toBeUndefined();
  });
});
