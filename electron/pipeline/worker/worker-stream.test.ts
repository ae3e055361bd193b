/**
 * The built worker as the main process runs it: handshake, frames, demand, shutdown, parent death.
 * (`npm run build:core` first.) Real ffmpeg test sources at 320x240, 15 fps.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MISSING_TOOL } from './backends.js';
import { descendantsOf, isAlive, runs } from '../../test-support/process-table.js';
import { BUILT_WORKER, cleanUpWorkers, FFMPEG, isJpeg, sleep, testCamera, TestWorker, TOOLS } from './test-worker-harness.js';

beforeAll(() => {
  if (!existsSync(BUILT_WORKER)) throw new Error('run `npm run build:core` first: these tests fork the built worker');
});

const others: ChildProcess[] = [];
afterEach(async () => {
  for (const child of others.splice(0)) child.kill('SIGKILL');
  await cleanUpWorkers();
});

const ffmpegChildren = (pid: number) => descendantsOf(pid).filter((p) => runs(p, 'ffmpeg'));

describe('pipeline worker: streaming', () => {
  it('says ready with its pid and the protocol version, then waits for configure', async () => {
    const started = Date.now();
    const worker = TestWorker.start();
    const ready = await worker.waitFor(() => worker.messages.find((m) => m.type === 'ready'), 5000, 'ready');
    expect(ready).toEqual({ type: 'ready', version: 1, pid: worker.pid });
    // Generous: the 200 ms budget is the benchmark's to measure; this only catches a worker that stalls.
    expect(Date.now() - started).toBeLessThan(3000);
    await sleep(300);
    expect(worker.frames).toHaveLength(0);
    expect(descendantsOf(worker.pid)).toEqual([]);
    expect(await worker.stop()).toEqual({ code: 0, signal: null });
    expect(worker.invalid).toEqual([]);
  });

  it('streams valid frames of two cameras at about the configured rate; reports state and fps', async () => {
    const worker = TestWorker.start();
    worker.configure([testCamera(0), testCamera(1, { device: 'smptebars', fps: 10 })]);
    worker.send({ type: 'demand', camera: 0, active: true });
    worker.send({ type: 'demand', camera: 1, active: true });
    await worker.waitFor(() => worker.framesOf(0).length > 0 && worker.framesOf(1).length > 0, 8000, 'first frames');
    const since = Date.now() / 1000;
    await sleep(3000);
    for (const [camera, fps] of [[0, 15], [1, 10]] as const) {
      const frames = worker.framesOf(camera, since);
      const rate = (frames.length - 1) / ((frames.at(-1)?.timestamp ?? 0) - (frames[0]?.timestamp ?? 0));
      expect(rate, `camera ${camera}`).toBeGreaterThan(fps * 0.6);
      expect(rate, `camera ${camera}`).toBeLessThan(fps * 1.4);
      expect(frames.every((f) => isJpeg(f.jpeg))).toBe(true);
      // Timestamps: Unix seconds, close to when the frame arrived here, increasing.
      expect(Math.abs((frames[0]?.timestamp ?? 0) - (frames[0]?.receivedAt ?? 0))).toBeLessThan(1);
      expect(frames.every((f, i) => i === 0 || f.timestamp > (frames[i - 1]?.timestamp ?? 0))).toBe(true);
      const state = worker.state(camera);
      expect(state).toMatchObject({ camera, state: 'running', width: 320, height: 240, recording: false, recordingPath: null, error: null });
      expect(state?.fps).toBeGreaterThan(fps * 0.6);
    }
    expect(worker.frameStreamError).toBeNull();
    expect(worker.invalid).toEqual([]);
    expect(await worker.stop()).toEqual({ code: 0, signal: null });
  });

  it('stops the source when demand ends (its ffmpeg leaves the process table), and restarts it on demand', async () => {
    const worker = TestWorker.start();
    worker.configure([testCamera(0)]);
    expect(await worker.waitFor(() => worker.state(0), 5000, 'state')).toMatchObject({ state: 'idle' });
    worker.send({ type: 'demand', camera: 0, active: true });
    await worker.waitFor(() => worker.state(0)?.state === 'running', 8000, 'running');
    const ffmpeg = ffmpegChildren(worker.pid);
    expect(ffmpeg).toHaveLength(1);
    expect(ffmpeg[0]?.cmdline[0]).toBe(FFMPEG);

    worker.send({ type: 'demand', camera: 0, active: false });
    await worker.waitFor(() => worker.state(0)?.state === 'idle', 5000, 'idle');
    await worker.waitFor(() => !isAlive(ffmpeg[0]?.pid ?? 0), 5000, 'ffmpeg gone');
    expect(ffmpegChildren(worker.pid)).toEqual([]);
    const count = worker.frames.length;
    await sleep(300);
    expect(worker.frames.length).toBe(count);

    worker.send({ type: 'demand', camera: 0, active: true });
    await worker.waitFor(() => worker.frames.length > count, 8000, 'frames again');
    // Reconfigured while running: restarted with the new size.
    worker.configure([testCamera(0, { width: 160, height: 120 })]);
    await worker.waitFor(() => worker.state(0)?.state === 'running' && worker.state(0)?.width === 160, 8000, 'restart at 160x120');
    // Removed from the configuration: stopped.
    worker.configure([]);
    await worker.waitFor(() => ffmpegChildren(worker.pid).length === 0, 5000, 'ffmpeg gone after removal');
    await worker.stop();
  });

  it('reports a missing tool or device as failed, in words', async () => {
    const worker = TestWorker.start();
    worker.configure([testCamera(0), testCamera(1, { backend: 'v4l2', device: '/dev/video9' }), testCamera(2, { backend: 'rpicam', device: '0' })], { ffmpeg: null, rpicamVid: null, rpicamStill: null });
    await worker.waitFor(() => worker.state(2)?.state === 'failed', 5000, 'failed');
    expect(worker.state(0)).toMatchObject({ state: 'failed', error: MISSING_TOOL.ffmpeg });
    expect(worker.state(2)).toMatchObject({ state: 'failed', error: MISSING_TOOL.rpicamVid });
    expect(MISSING_TOOL.ffmpeg).toBe('ffmpeg was not found: install it (apt-get install ffmpeg)');

    worker.configure([testCamera(1, { backend: 'v4l2', device: '/dev/video9' })], TOOLS);
    worker.send({ type: 'demand', camera: 1, active: true });
    await worker.waitFor(() => worker.state(1)?.error === 'no such device /dev/video9', 5000, 'v4l2 failed');
    expect(worker.state(1)?.state).toBe('failed');
    await worker.stop();
  });

  it('ignores invalid control messages (and says so on stderr)', async () => {
    const worker = TestWorker.start();
    worker.child.send({ type: 'demand', camera: 'zero' });
    worker.child.send({ type: 'format-disk' });
    worker.configure([testCamera(0)]);
    await worker.waitFor(() => worker.state(0)?.state === 'idle', 5000, 'configured');
    await worker.waitFor(() => (worker.stderr.match(/ignored an invalid control message/g) ?? []).length === 2, 5000, 'two log lines');
    expect(worker.child.exitCode).toBeNull();
    await worker.stop();
  });

  it('exits 0 on SIGTERM within ~3 s, taking its children with it', async () => {
    const worker = TestWorker.start();
    worker.configure([testCamera(0), testCamera(1)]);
    worker.send({ type: 'demand', camera: 0, active: true });
    worker.send({ type: 'demand', camera: 1, active: true });
    await worker.waitFor(() => ffmpegChildren(worker.pid).length === 2 && worker.frames.length > 0, 8000, 'two sources');
    const children = ffmpegChildren(worker.pid);
    const started = Date.now();
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toEqual({ code: 0, signal: null });
    expect(Date.now() - started).toBeLessThan(3500);
    expect(children.filter((p) => isAlive(p.pid))).toEqual([]);
  });

  it('drops frames (never queues them) while the main process does not read, then delivers fresh ones', async () => {
    const worker = TestWorker.start();
    worker.configure([testCamera(0, { jpegQuality: 100 })]);
    worker.send({ type: 'demand', camera: 0, active: true });
    await worker.waitFor(() => worker.frames.length > 5, 8000, 'frames');
    worker.child.stdout?.pause();
    await sleep(2500);
    const resumedAt = Date.now() / 1000;
    worker.child.stdout?.resume();
    // What was already in the pipe comes first; after that, frames are new again.
    await worker.waitFor(() => worker.frames.find((f) => f.receivedAt >= resumedAt && f.receivedAt - f.timestamp < 0.3), 5000, 'a fresh frame');
    await worker.waitFor(() => /stdout was full: dropped \d+ frames/.test(worker.stderr), 5000, 'the drop count in the log');
    const backlog = worker.frames.filter((f) => f.receivedAt >= resumedAt && f.timestamp < resumedAt - 0.5);
    expect(backlog.length).toBeLessThan(20); // a pipe's worth, not 2.5 s × 15 fps
    expect(worker.frameStreamError).toBeNull();
    await worker.stop();
  });

  it('ends when its stdout reader goes away (EPIPE), taking its children with it', async () => {
    const worker = TestWorker.start();
    worker.configure([testCamera(0)]);
    worker.send({ type: 'demand', camera: 0, active: true });
    await worker.waitFor(() => worker.frames.length > 0, 8000, 'frames');
    const children = ffmpegChildren(worker.pid);
    worker.child.stdout?.destroy();
    const exit = await Promise.race([worker.exited, sleep(3000).then(() => 'still running')]);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(children.filter((p) => isAlive(p.pid))).toEqual([]);
  });

  it('ends itself and every ffmpeg within 3 s when its parent dies (IPC channel closed)', async () => {
    // A stand-in main process that forks the worker like the real one and then gets SIGKILLed.
    const parentScript = `
      import { fork } from 'node:child_process';
      const worker = fork(${JSON.stringify(BUILT_WORKER)}, [], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'], env: { PATH: process.env.PATH }, detached: true, execArgv: [] });
      worker.stdout.resume();
      worker.stderr.resume();
      worker.on('message', (m) => {
        if (m.type !== 'ready') return;
        worker.send({ type: 'configure', cameras: ${JSON.stringify([testCamera(0), testCamera(1)])}, tools: ${JSON.stringify(TOOLS)} });
        worker.send({ type: 'demand', camera: 0, active: true });
        worker.send({ type: 'demand', camera: 1, active: true });
        process.stdout.write(String(worker.pid) + '\\n');
      });`;
    const parent = spawn(process.execPath, ['--input-type=module', '-e', parentScript], { stdio: ['ignore', 'pipe', 'inherit'] });
    others.push(parent);
    const workerPid = await new Promise<number>((resolve, reject) => {
      parent.stdout?.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
      parent.once('exit', () => reject(new Error('the stand-in parent exited early')));
    });
    try {
      const deadline = Date.now() + 8000;
      while (ffmpegChildren(workerPid).length < 2 && Date.now() < deadline) await sleep(50);
      const tree = [workerPid, ...descendantsOf(workerPid).map((p) => p.pid)];
      expect(ffmpegChildren(workerPid)).toHaveLength(2);

      parent.kill('SIGKILL');
      const gone = Date.now() + 3000;
      while (tree.some(isAlive) && Date.now() < gone) await sleep(25);
      expect(tree.filter(isAlive)).toEqual([]);
    } finally {
      try {
        process.kill(-workerPid, 'SIGKILL');
      } catch {
        // already gone, as it should be
      }
    }
  });
});
