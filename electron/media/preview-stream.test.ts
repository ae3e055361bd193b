import { describe, expect, it } from 'vitest';
import { previewRefusal, previewStream } from './preview-stream.js';
import { PartReader } from './test-multipart.js';
import { jpegOf, testPreviewCamera } from './test-media-kit.js';

const later = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('previewStream', () => {
  it('yields parseable parts with increasing X-Timestamp, as the MJPEG streams write them', async () => {
    const camera = testPreviewCamera();
    camera.hub.publish(0, jpegOf(1), 1_700_000_000.25);
    const reader = previewStream(camera, 0).getReader();
    const parts = new PartReader(reader);
    const first = await parts.next();
    expect(first.headers['content-type']).toBe('image/jpeg');
    expect(first.headers['x-timestamp']).toBe('1700000000.250000');
    expect(first.body.equals(jpegOf(1))).toBe(true);
    setTimeout(() => camera.hub.publish(0, jpegOf(2), 1_700_000_000.5), 20);
    const second = await parts.next();
    expect(Number(second.headers['x-timestamp'])).toBeGreaterThan(Number(first.headers['x-timestamp']));
    expect(second.body.equals(jpegOf(2))).toBe(true);
    await reader.cancel();
  });

  it('never queues old frames: a read gets the newest, the next one waits for a newer frame', async () => {
    const camera = testPreviewCamera();
    const reader = previewStream(camera, 0).getReader();
    const parts = new PartReader(reader);
    camera.hub.publish(0, jpegOf(1), 1);
    expect((await parts.next()).body[5]).toBe(1);
    for (let marker = 2; marker <= 6; marker++) camera.hub.publish(0, jpegOf(marker), marker); // nobody reading
    expect((await parts.next()).body[5]).toBe(6);
    const pending = parts.next();
    await later(30);
    camera.hub.publish(0, jpegOf(7), 7);
    expect((await pending).body[5]).toBe(7);
    await reader.cancel();
  });

  it('keeps the camera held and subscribed while open, and lets go of both on cancel', async () => {
    const camera = testPreviewCamera();
    const reader = previewStream(camera, 0).getReader();
    expect(camera.holds.get(0)).toBe(1);
    const pending = reader.read();
    await later(10);
    expect(camera.hub.subscribers(0)).toBe(1);
    await reader.cancel();
    expect((await pending).done).toBe(true);
    expect(camera.holds.get(0)).toBe(0);
    expect(camera.hub.subscribers(0)).toBe(0);
  });

  it('repeats the last frame when the source is quiet, so the page knows the stream is alive', async () => {
    const camera = testPreviewCamera();
    camera.hub.publish(0, jpegOf(3), 10);
    const reader = previewStream(camera, 0, { keepAliveMs: 80 }).getReader();
    const parts = new PartReader(reader);
    await parts.next();
    const started = performance.now();
    const again = await parts.next();
    expect(performance.now() - started).toBeGreaterThanOrEqual(60);
    expect(again.headers['x-timestamp']).toBe('10.000000');
    await reader.cancel();
  });

  it('ends when the window is no longer allowed, or when the app quits', async () => {
    const camera = testPreviewCamera();
    camera.hub.publish(0, jpegOf(1), 1);
    let allowed = true;
    const first = previewStream(camera, 0, { allowed: () => allowed }).getReader();
    expect((await first.read()).done).toBe(false);
    allowed = false;
    camera.hub.publish(0, jpegOf(2), 2);
    expect((await first.read()).done).toBe(true);

    const quit = new AbortController();
    const second = previewStream(camera, 0, { signal: quit.signal }).getReader();
    await second.read();
    const pending = second.read(); // waiting for a newer frame
    quit.abort();
    expect((await pending).done).toBe(true);
    expect(camera.holds.get(0)).toBe(0);
    expect(camera.hub.subscribers(0)).toBe(0);
  });
});

describe('previewRefusal', () => {
  it('refuses an unconfigured camera (404) and a pipeline that is down (503)', () => {
    const camera = testPreviewCamera(1);
    expect(previewRefusal(camera, 0)).toBeNull();
    expect(previewRefusal(camera, 1)?.[0]).toBe(404);
    camera.pipeline = 'failed';
    expect(previewRefusal(camera, 0)).toEqual([503, 'The camera pipeline is failed']);
    camera.pipeline = 'restarting';
    expect(previewRefusal(camera, 0)).toBeNull(); // frames come back by themselves
  });
});
