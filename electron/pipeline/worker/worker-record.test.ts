/**
 * MP4 recordings by the built worker (`npm run build:core` first), checked with ffprobe.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BUILT_WORKER, cleanUpWorkers, sleep, testCamera, TestWorker, TOOLS } from './test-worker-harness.js';

let dir: string;
beforeAll(() => {
  if (!existsSync(BUILT_WORKER)) throw new Error('run `npm run build:core` first: these tests fork the built worker');
});
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'campanel-record-'));
});
afterEach(async () => {
  await cleanUpWorkers();
  await rm(dir, { recursive: true, force: true });
});

function probe(path: string): { duration: number; width: number; height: number; codec: string } {
  const json = execFileSync('/usr/bin/ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'format=duration:stream=width,height,codec_name', '-of', 'json', path]).toString();
  const parsed = JSON.parse(json) as { format: { duration: string }; streams: Array<{ width: number; height: number; codec_name: string }> };
  const stream = parsed.streams[0];
  return { duration: Number(parsed.format.duration), width: stream?.width ?? 0, height: stream?.height ?? 0, codec: stream?.codec_name ?? '' };
}

describe('pipeline worker: recording', () => {
  it('records for durationSeconds by itself while the stream keeps flowing', async () => {
    const worker = TestWorker.start();
    worker.configure([testCamera(0)], TOOLS);
    worker.send({ type: 'demand', camera: 0, active: true });
    await worker.waitFor(() => worker.frames.length > 0, 8000, 'frames');
    const result = await worker.request({ type: 'record', camera: 0, format: 'mp4', dir, stem: 'clip', durationSeconds: 2 });
    const since = Date.now() / 1000;
    expect(result).toEqual({ type: 'result', id: 1, ok: true, path: join(dir, 'clip.mp4') });
    await worker.waitFor(() => worker.state(0)?.recording === true, 3000, 'recording state');
    expect(worker.state(0)?.recordingPath).toBe(join(dir, 'clip.mp4'));

    const again = await worker.request({ type: 'record', camera: 0, format: 'mp4', dir, stem: 'clip', durationSeconds: 2 });
    expect(again).toMatchObject({ ok: false, error: `camera 0 is already recording to ${join(dir, 'clip.mp4')}` });

    const ended = await worker.waitFor(() => worker.messages.find((m) => m.type === 'recordingEnded'), 8000, 'recordingEnded');
    expect(ended).toEqual({ type: 'recordingEnded', camera: 0, path: join(dir, 'clip.mp4'), reason: 'duration reached' });
    expect(worker.framesOf(0, since).length).toBeGreaterThan(15); // ~30 in 2 s: streaming went on
    const video = probe(join(dir, 'clip.mp4'));
    expect(video).toMatchObject({ width: 320, height: 240, codec: 'h264' });
    expect(Math.abs(video.duration - 2)).toBeLessThan(0.2);
    expect(await readdir(dir)).toEqual(['clip.mp4']);
    await worker.waitFor(() => worker.state(0)?.recording === false, 3000, 'not recording');

    const none = await worker.request({ type: 'stopRecord', camera: 0 });
    expect(none).toMatchObject({ ok: false, error: 'No video recording in progress' });
    await worker.stop();
  });

  it('records an idle camera until stopRecord, and the camera goes idle after', async () => {
    const worker = TestWorker.start();
    worker.configure([testCamera(0, { fps: 10 })], TOOLS);
    await worker.waitFor(() => worker.state(0)?.state === 'idle', 5000, 'idle');
    const started = await worker.request({ type: 'record', camera: 0, format: 'mp4', dir, stem: 'long', durationSeconds: 0 });
    expect(started).toMatchObject({ ok: true, path: join(dir, 'long.mp4') });
    await sleep(2000);
    const stopped = await worker.request({ type: 'stopRecord', camera: 0 });
    expect(stopped).toMatchObject({ ok: true, path: join(dir, 'long.mp4') });
    const video = probe(join(dir, 'long.mp4'));
    expect(video).toMatchObject({ width: 320, height: 240 });
    expect(Math.abs(video.duration - 2)).toBeLessThan(0.2);
    await worker.waitFor(() => worker.state(0)?.state === 'idle', 5000, 'idle after');
    expect(worker.messages.some((m) => m.type === 'recordingEnded')).toBe(false);
    await worker.stop();
  });

  it('finalises a recording on SIGTERM', async () => {
    const worker = TestWorker.start();
    worker.configure([testCamera(0)], TOOLS);
    expect(await worker.request({ type: 'record', camera: 0, format: 'mp4', dir, stem: 'term', durationSeconds: 0 })).toMatchObject({ ok: true });
    await sleep(1000);
    expect(await worker.stop()).toEqual({ code: 0, signal: null });
    expect(worker.messages.find((m) => m.type === 'recordingEnded')).toEqual({ type: 'recordingEnded', camera: 0, path: join(dir, 'term.mp4'), reason: 'SIGTERM' });
    expect(probe(join(dir, 'term.mp4')).duration).toBeGreaterThan(0.5);
    expect(await readdir(dir)).toEqual(['term.mp4']);
  });

  it('does not start a recording into a directory it cannot write', async () => {
    const worker = TestWorker.start();
    worker.configure([testCamera(0)], TOOLS);
    const result = await worker.request({ type: 'record', camera: 0, format: 'mp4', dir: '/proc/campanel', stem: 'x', durationSeconds: 1 });
    expect(result).toMatchObject({ ok: false, error: 'cannot write to /proc/campanel: it does not exist and cannot be created (ENOENT)' });
    expect(worker.state(0)?.recording).toBe(false);
    await worker.stop();
  });
});
