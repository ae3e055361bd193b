/**
 * Photos taken by the built worker (`npm run build:core` first): formats, names, failures.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BUILT_WORKER, cleanUpWorkers, isJpeg, sleep, testCamera, TestWorker, TOOLS } from './test-worker-harness.js';

let dir: string;
beforeAll(() => {
  if (!existsSync(BUILT_WORKER)) throw new Error('run `npm run build:core` first: these tests fork the built worker');
});
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'campanel-capture-'));
});
afterEach(async () => {
  await cleanUpWorkers();
  await rm(dir, { recursive: true, force: true });
});

function probeSize(path: string): string {
  return execFileSync('/usr/bin/ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=width,height', '-of', 'csv=p=0', path]).toString().trim();
}

async function startedWorker(): Promise<TestWorker> {
  const worker = TestWorker.start();
  worker.configure([testCamera(0)], TOOLS);
  await worker.waitFor(() => worker.state(0), 5000, 'configured');
  return worker;
}

describe('pipeline worker: captures', () => {
  it('writes jpg, png and lossless tiff from the next frame, starting an idle camera and stopping it after', async () => {
    const worker = await startedWorker();
    const out = join(dir, 'camera_0');
    const jpg = await worker.request({ type: 'capture', camera: 0, kind: 'photo', format: 'jpg', dir: out, stem: 'shot' });
    expect(jpg).toEqual({ type: 'result', id: 1, ok: true, path: join(out, 'shot.jpg') });
    expect(isJpeg(await readFile(join(out, 'shot.jpg')))).toBe(true);
    expect(probeSize(join(out, 'shot.jpg'))).toBe('320,240');

    const png = await worker.request({ type: 'capture', camera: 0, kind: 'photo', format: 'png', dir: out, stem: 'shot' });
    expect(png).toMatchObject({ ok: true, path: join(out, 'shot.png') });
    expect((await readFile(join(out, 'shot.png'))).subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect(probeSize(join(out, 'shot.png'))).toBe('320,240');

    const tiff = await worker.request({ type: 'capture', camera: 0, kind: 'raw', format: 'tiff', dir: out, stem: 'shot' });
    expect(tiff).toMatchObject({ ok: true, path: join(out, 'shot.tiff') });
    expect((await readFile(join(out, 'shot.tiff'))).subarray(0, 4).toString('hex')).toMatch(/^(49492a00|4d4d002a)$/);
    expect(probeSize(join(out, 'shot.tiff'))).toBe('320,240');

    // No sensor data on a test camera: "raw dng" is the lossless TIFF, and the path says so.
    const dng = await worker.request({ type: 'capture', camera: 0, kind: 'raw', format: 'dng', dir: out, stem: 'raw' });
    expect(dng).toMatchObject({ ok: true, path: join(out, 'raw.tiff') });

    expect((await readdir(out)).sort()).toEqual(['raw.tiff', 'shot.jpg', 'shot.png', 'shot.tiff']);
    // Nobody demanded the camera: the captures started it, and it goes back to idle.
    await worker.waitFor(() => worker.state(0)?.state === 'idle', 5000, 'idle again');
    await worker.stop();
  });

  it('gives same-second captures _1, _2 … and never overwrites', async () => {
    const worker = await startedWorker();
    worker.send({ type: 'demand', camera: 0, active: true });
    await writeFile(join(dir, 'same.jpg'), 'existing');
    const results = await Promise.all([0, 1, 2].map(() => worker.request({ type: 'capture', camera: 0, kind: 'photo', format: 'jpg', dir, stem: 'same' })));
    expect(results.map((r) => (r.ok ? r.path : r.error)).sort()).toEqual([join(dir, 'same_1.jpg'), join(dir, 'same_2.jpg'), join(dir, 'same_3.jpg')]);
    expect(await readFile(join(dir, 'same.jpg'), 'utf8')).toBe('existing');
    expect((await readdir(dir)).filter((name) => name.startsWith('.'))).toEqual([]);
    await worker.stop();
  });

  it('fails cleanly for a directory that cannot be written, leaving nothing behind', async () => {
    const worker = await startedWorker();
    await writeFile(join(dir, 'file'), 'x');
    const target = join(dir, 'file', 'photos');
    const result = await worker.request({ type: 'capture', camera: 0, kind: 'photo', format: 'png', dir: target, stem: 'x' });
    expect(result).toEqual({ type: 'result', id: 1, ok: false, error: `cannot write to ${target}: it (or a folder above it) is a file, not a folder (ENOTDIR)` });
    expect(await readdir(dir)).toEqual(['file']);
    await worker.stop();
  });

  it('answers every request: unknown camera, a camera that delivers nothing within 3 s', async () => {
    const worker = TestWorker.start({ FAKE_RPICAM_FAIL: '1' });
    worker.configure([testCamera(0), testCamera(1, { backend: 'rpicam', device: '0' })], TOOLS);
    const unknown = await worker.request({ type: 'capture', camera: 7, kind: 'photo', format: 'jpg', dir, stem: 'x' });
    expect(unknown).toMatchObject({ ok: false, error: 'camera 7 is not configured' });
    const started = Date.now();
    const none = await worker.request({ type: 'capture', camera: 1, kind: 'photo', format: 'jpg', dir, stem: 'x' });
    expect(none.ok).toBe(false);
    expect(none.ok ? '' : none.error).toMatch(/^camera 1 delivered no frame within 3 s: (failed|starting): rpicam-vid exited with code 255$/);
    expect(Date.now() - started).toBeLessThan(6000);
    expect(await readdir(dir)).toEqual([]);
    await worker.stop();
  });

  it('keeps streaming while converting photos', async () => {
    const worker = await startedWorker();
    worker.send({ type: 'demand', camera: 0, active: true });
    await worker.waitFor(() => worker.frames.length > 0, 8000, 'frames');
    const since = Date.now() / 1000;
    const shots = [0, 1, 2, 3].map((i) => worker.request({ type: 'capture', camera: 0, kind: 'raw', format: 'tiff', dir, stem: `t${i}` }));
    await sleep(1500);
    expect((await Promise.all(shots)).every((r) => r.ok)).toBe(true);
    // Frames kept coming during the conversions (15 fps; half of it is plenty to show no stall).
    expect(worker.framesOf(0, since).length).toBeGreaterThan(10);
    await worker.stop();
  });
});
