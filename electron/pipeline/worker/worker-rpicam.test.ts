/**
 * The rpicam backend against the fake rpicam-vid / rpicam-still (electron/test-support/fake-rpicam),
 * passed as tool paths the way the main process passes the real ones. `npm run build:core` first.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseRpicamList } from './backends.js';
import { descendantsOf, isAlive, runs } from '../../test-support/process-table.js';
import { BUILT_WORKER, cleanUpWorkers, isJpeg, sleep, testCamera, TestWorker, TOOLS } from './test-worker-harness.js';

let dir: string;
beforeAll(() => {
  if (!existsSync(BUILT_WORKER)) throw new Error('run `npm run build:core` first: these tests fork the built worker');
});
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'campanel-rpicam-'));
});
afterEach(async () => {
  await cleanUpWorkers();
  await rm(dir, { recursive: true, force: true });
});

const rpicam = (num: number, device = '0') => testCamera(num, { backend: 'rpicam', device });

function listCameras(cameras: string | undefined): Promise<{ code: number | null; stdout: string }> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '' };
  if (cameras !== undefined) env.FAKE_RPICAM_CAMERAS = cameras;
  return new Promise((resolve) => {
    execFile(TOOLS.rpicamVid as string, ['--list-cameras'], { env }, (error, stdout) => resolve({ code: error ? Number(error.code) : 0, stdout }));
  });
}

describe('pipeline worker: rpicam backend (fake rpicam-apps)', () => {
  it('parses the camera list the (fake) tool prints', async () => {
    expect(parseRpicamList((await listCameras(undefined)).stdout)).toEqual([{ index: 0, model: 'imx708' }]);
    expect(parseRpicamList((await listCameras('imx708,imx219')).stdout)).toEqual([
      { index: 0, model: 'imx708' },
      { index: 1, model: 'imx219' },
    ]);
    const none = await listCameras('');
    expect(none).toEqual({ code: 0, stdout: 'No cameras available!\n' });
    expect(parseRpicamList(none.stdout)).toEqual([]);
  });

  it('streams rpicam-vid MJPEG at the configured size', async () => {
    const worker = TestWorker.start();
    worker.configure([rpicam(0)], TOOLS);
    worker.send({ type: 'demand', camera: 0, active: true });
    await worker.waitFor(() => worker.framesOf(0).length >= 10, 10_000, 'frames');
    expect(worker.framesOf(0).every((f) => isJpeg(f.jpeg))).toBe(true);
    expect(worker.state(0)).toMatchObject({ state: 'running', width: 320, height: 240, error: null });
    const source = descendantsOf(worker.pid).find((p) => runs(p, 'rpicam-vid'));
    expect(source?.cmdline.slice(-18)).toEqual([TOOLS.rpicamVid, '-n', '-t', '0', '--camera', '0', '--codec', 'mjpeg', '--width', '320', '--height', '240', '--framerate', '15', '-q', '80', '-o', '-']);
    expect(worker.stderr).toContain('camera 0: rpicam-vid: ');
    await worker.stop();
  });

  it('reports a camera that cannot start as failed with rpicam-vid’s stderr, and retries', async () => {
    const worker = TestWorker.start({ FAKE_RPICAM_FAIL: '1' });
    worker.configure([rpicam(0), rpicam(1, '3')], TOOLS);
    worker.send({ type: 'demand', camera: 0, active: true });
    worker.send({ type: 'demand', camera: 1, active: true });
    const busy = await worker.waitFor(() => (worker.state(0)?.state === 'failed' ? worker.state(0) : undefined), 10_000, 'failed');
    expect(busy?.error).toBe('rpicam-vid exited with code 255');
    expect(busy?.stderr.at(-1)).toBe('ERROR: *** failed to acquire camera /base/soc/i2c0mux/i2c@1/imx708@1a ***');
    expect(busy?.stderr[0]).toMatch(/INFO Camera camera_manager\.cpp/);
    const missing = await worker.waitFor(() => (worker.state(1)?.state === 'failed' ? worker.state(1) : undefined), 10_000, 'failed');
    expect(missing?.stderr.at(-1)).toBe('ERROR: *** selected camera is not available ***');
    // Backoff: tried again after about a second.
    await worker.waitFor(() => (worker.stderr.match(/camera 0: started rpicam-vid/g) ?? []).length >= 2, 5000, 'a retry');
    await worker.stop();
  });

  it('fails (and kills) a source that delivers no frame within 5 s', async () => {
    const worker = TestWorker.start({ FAKE_RPICAM_STALL: '1' });
    worker.configure([rpicam(0)], TOOLS);
    worker.send({ type: 'demand', camera: 0, active: true });
    const stalled = await worker.waitFor(() => descendantsOf(worker.pid).find((p) => runs(p, 'rpicam-vid')), 5000, 'rpicam-vid');
    const failed = await worker.waitFor(() => (worker.state(0)?.state === 'failed' ? worker.state(0) : undefined), 9000, 'failed');
    expect(failed?.error).toBe('rpicam-vid delivered no frame within 5 s of starting');
    expect(failed?.stderr.at(-1)).toMatch(/configuring streams: \(0\) 320x240-YUV420/);
    await worker.waitFor(() => !isAlive(stalled.pid), 4000, 'the stalled process killed');
    await worker.stop();
  });

  it('takes a DNG with rpicam-still, releasing the camera for it, and resumes the stream', async () => {
    const worker = TestWorker.start();
    worker.configure([rpicam(0)], TOOLS);
    worker.send({ type: 'demand', camera: 0, active: true });
    await worker.waitFor(() => worker.framesOf(0).length > 0, 10_000, 'frames');
    const result = await worker.request({ type: 'capture', camera: 0, kind: 'raw', format: 'dng', dir, stem: 'raw' }, 20_000);
    expect(result).toEqual({ type: 'result', id: 1, ok: true, path: join(dir, 'raw.dng') });
    // The fake writes a TIFF under the .dng name (a DNG is a TIFF too).
    expect((await readFile(join(dir, 'raw.dng'))).subarray(0, 4).toString('hex')).toBe('49492a00');
    expect(await readdir(dir)).toEqual(['raw.dng']);
    const after = worker.frames.length;
    await worker.waitFor(() => worker.frames.length > after + 5, 10_000, 'stream back');
    expect((worker.stderr.match(/camera 0: started rpicam-vid/g) ?? []).length).toBe(2);
    await worker.stop();
  });

  it('ends a recording whose camera fails, keeping what was recorded', async () => {
    const worker = TestWorker.start();
    worker.configure([rpicam(0)], TOOLS);
    const started = await worker.request({ type: 'record', camera: 0, format: 'mp4', dir, stem: 'cut', durationSeconds: 0 });
    expect(started).toMatchObject({ ok: true, path: join(dir, 'cut.mp4') });
    await sleep(2000);
    const source = descendantsOf(worker.pid).find((p) => runs(p, 'rpicam-vid'));
    process.kill(source?.pid ?? 0, 'SIGKILL'); // the camera process crashes
    const ended = await worker.waitFor(() => worker.messages.find((m) => m.type === 'recordingEnded'), 10_000, 'recordingEnded');
    expect(ended).toEqual({ type: 'recordingEnded', camera: 0, path: join(dir, 'cut.mp4'), reason: 'camera 0 failed: rpicam-vid was killed by SIGKILL' });
    expect(await readdir(dir)).toEqual(['cut.mp4']);
    const probe = execFileSync('/usr/bin/ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', join(dir, 'cut.mp4')]);
    expect(Number(probe.toString())).toBeGreaterThan(1.5);
    await worker.stop();
  });
});
