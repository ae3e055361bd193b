/**
 * Black-box fault tests of the camera pipeline against a real `campanel serve` with two test cameras:
 * the worker SIGKILLed again and again while streams and captures run, shutdown by SIGTERM, kill -9 of
 * serve itself, Restart API with open streams, and the idle timeout. What is alive is read from /proc
 * (e2e/support/processes.ts); files are checked as a client would (JPEG markers, ffprobe).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { request, type IncomingHttpHeaders } from 'node:http';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from '@playwright/test';
import { ALICE, startCameraServe, type CameraServe } from './support/camera-serve.js';
import { openStream, type Part, type Stream } from './support/mjpeg.js';
import {
  descendantsOf,
  ffmpegsBelow,
  groupMembers,
  isSource,
  killLeftovers,
  poll,
  readProcess,
  servePidFor,
  sleep,
  waitUntilGone,
  workersOf,
  type ProcessInfo,
} from './support/processes.js';
import { removeDir, startServe, type ServeHandle } from './support/serve.js';

const run = promisify(execFile);

// ---------------------------------------------------------------------------------------------------
// HTTP with a deadline (a hanging answer must fail the test, not the test's timeout)

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  text: string;
  /** Milliseconds from sending to the end of the answer. */
  ms: number;
}

function call(url: string, options: { method?: string; headers?: Record<string, string>; body?: string; timeoutMs?: number } = {}): Promise<Answer> {
  const started = Date.now();
  const timeoutMs = options.timeoutMs ?? 10_000;
  return new Promise((resolve, reject) => {
    const headers = { ...options.headers };
    // node:http sends a GET body without any framing unless the length is given.
    if (options.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(options.body));
    const req = request(url, { method: options.method ?? 'GET', headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        clearTimeout(timer);
        const body = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text: body.toString(), ms: Date.now() - started });
      });
      res.on('error', reject);
    });
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error(`${options.method ?? 'GET'} ${url.replace(/token=[^&]+/, 'token=…')}: no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    req.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

function jsonMessage(answer: Answer): unknown {
  expect(answer.headers['content-type'], answer.text.slice(0, 200)).toMatch(/^application\/json/);
  const parsed = JSON.parse(answer.text) as { message?: unknown };
  expect(parsed, answer.text).toHaveProperty('message');
  return parsed.message;
}

// ---------------------------------------------------------------------------------------------------
// One camera serve per test, with everything it started tracked for cleanup

interface PipelineInfo {
  state: string;
  cameras: Array<{ num: number; state: string; clients: number; recording: boolean; error: string | null }>;
}

class Harness {
  readonly serves: ServeHandle[] = [];
  readonly streams: Stream[] = [];
  /** Every worker pid seen: each leads its own process group. */
  readonly workerGroups = new Set<number>();
  readonly seen: ProcessInfo[] = [];

  private constructor(readonly cam: CameraServe) {
    this.serves.push(cam.serve);
  }

  static async start(options: { idleSeconds?: number } = {}): Promise<Harness> {
    return new Harness(await startCameraServe(options));
  }

  get dataDir(): string {
    return this.cam.dataDir;
  }

  get base(): string {
    return this.cam.base;
  }

  url(path: string): string {
    return `${this.base}${path}${path.includes('?') ? '&' : '?'}token=${this.cam.token}`;
  }

  api(path: string, options: { body?: string; timeoutMs?: number } = {}): Promise<Answer> {
    return call(`${this.base}${path}`, { headers: { ...this.cam.bearer, ...(options.body !== undefined ? { 'Content-Type': 'application/json' } : {}) }, ...options });
  }

  async info(): Promise<PipelineInfo> {
    const answer = await this.api('/api/info', { timeoutMs: 3000 });
    expect(answer.status).toBe(200);
    return (jsonMessage(answer) as { pipeline: PipelineInfo }).pipeline;
  }

  async stream(path: string): Promise<Stream> {
    const stream = await openStream(this.url(path));
    this.streams.push(stream);
    expect(stream.status).toBe(200);
    expect(stream.headers['content-type']).toBe('multipart/x-mixed-replace; boundary=frame');
    return stream;
  }

  /** The serve process (a child of this test process), found by its data directory. */
  servePid(): number {
    const pid = servePidFor(this.dataDir);
    expect(pid, 'campanel serve in the process table').not.toBeNull();
    const info = readProcess(pid as number);
    if (info) this.seen.push(info);
    return pid as number;
  }

  /** The one pipeline worker of `servePid`. */
  async worker(servePid: number, not?: number, timeoutMs = 10_000): Promise<ProcessInfo> {
    const worker = await poll(`a pipeline worker of serve ${servePid}${not ? ` other than ${not}` : ''}`, timeoutMs, () => {
      const workers = workersOf(servePid).filter((p) => p.pid !== not);
      return workers.length === 1 ? workers[0] : null;
    });
    this.workerGroups.add(worker.pid);
    // Detached: it leads its own process group, so SIGKILL to the group reaches its ffmpegs.
    expect(worker.pgid).toBe(worker.pid);
    return worker;
  }

  async cleanup(): Promise<void> {
    for (const stream of this.streams) stream.close();
    // A serve started again on the data directory, and its worker, are known only by the process table.
    const running = servePidFor(this.dataDir);
    if (running !== null) {
      const info = readProcess(running);
      if (info) this.seen.push(info);
      for (const worker of workersOf(running)) this.workerGroups.add(worker.pid);
    }
    for (const serve of this.serves) {
      await Promise.race([serve.stop(), sleep(8000)]);
    }
    const info = test.info();
    if (info.status !== info.expectedStatus) {
      for (const [index, serve] of this.serves.entries()) {
        await info.attach(`serve-${index}.log`, { body: serve.output(), contentType: 'text/plain' });
        console.error(`--- serve ${index} output (last 120 lines) ---\n${serve.output().split('\n').slice(-120).join('\n')}`);
      }
    }
    killLeftovers(this.workerGroups, this.seen);
    await removeDir(this.dataDir);
  }
}

// ---------------------------------------------------------------------------------------------------
// Files

const FINAL_NAME = /^\d{8}_\d{6}(_\d+)?\.(jpg|mp4)$/;
const PARTIAL_NAME = /^\..+\.partial-/;

interface Listing {
  finals: string[];
  partials: string[];
  others: string[];
}

async function listCaptures(dataDir: string): Promise<Listing> {
  const listing: Listing = { finals: [], partials: [], others: [] };
  for (const camera of ['camera_0', 'camera_1']) {
    const dir = join(dataDir, 'photos', camera);
    const names = await readdir(dir).catch(() => [] as string[]);
    for (const name of names) {
      const path = join(dir, name);
      if (FINAL_NAME.test(name)) listing.finals.push(path);
      else if (PARTIAL_NAME.test(name)) listing.partials.push(path);
      else listing.others.push(path);
    }
  }
  return listing;
}

async function isCompleteJpeg(path: string): Promise<boolean> {
  const data = await readFile(path);
  return data.length > 4 && data[0] === 0xff && data[1] === 0xd8 && data[data.length - 2] === 0xff && data[data.length - 1] === 0xd9;
}

const jpegOk = (jpeg: Buffer): boolean => jpeg.length > 4 && jpeg[0] === 0xff && jpeg[1] === 0xd8 && jpeg[jpeg.length - 2] === 0xff && jpeg[jpeg.length - 1] === 0xd9;

/** The MP4's duration in seconds per ffprobe, or the reason it is not playable. */
async function mp4Duration(path: string): Promise<number | string> {
  try {
    const { stdout } = await run('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'default=nw=1:nk=1', path], { timeout: 15_000 });
    const duration = Number(stdout.trim());
    return Number.isFinite(duration) ? duration : `ffprobe printed ${JSON.stringify(stdout.trim())}`;
  } catch (error) {
    return `ffprobe failed: ${(error as { stderr?: string }).stderr?.trim() || String(error)}`;
  }
}

/** Every final .jpg is a whole JPEG and every final .mp4 plays; returns the mp4 durations. */
async function checkFinalFiles(finals: string[]): Promise<Map<string, number>> {
  const durations = new Map<string, number>();
  const broken: string[] = [];
  for (const path of finals) {
    if (path.endsWith('.jpg')) {
      if (!(await isCompleteJpeg(path))) broken.push(`${path}: not FFD8…FFD9`);
    } else {
      const duration = await mp4Duration(path);
      if (typeof duration === 'string' || !(duration > 0)) broken.push(`${path}: ${duration}`);
      else durations.set(path, duration);
    }
  }
  expect(broken, 'files under a final name must be complete').toEqual([]);
  return durations;
}

const timestampOf = (part: Part): number => Number(part.headers['x-timestamp']);
const describe = (p: Pick<ProcessInfo, 'pid' | 'cmdline'>): string => `${p.pid} ${p.cmdline.join(' ').slice(0, 160)}`;

// ---------------------------------------------------------------------------------------------------

test('SIGKILL of the worker, 20 times while both cameras stream and capture: answers, recovery, streams, files, no orphans', async () => {
  test.setTimeout(240_000);
  const h = await Harness.start();
  let stopBackground = false;
  let background: Promise<void> = Promise.resolve();
  try {
    const servePid = h.servePid();
    const streams = [await h.stream('/video_feed'), await h.stream('/video_feed2')];
    for (const stream of streams) await stream.waitFor(3, 10_000);
    let worker = await h.worker(servePid);
    await poll('pipeline running', 10_000, async () => (await h.info()).state === 'running');
    let runningSince = Date.now();
    let lastKill = 0;

    // Captures keep running on camera 1 throughout: each answers within 2.5 s with JSON, whatever the state.
    const backgroundProblems: string[] = [];
    const backgroundStatuses: Record<number, number> = {};
    const photoPaths: string[] = [];
    background = (async () => {
      while (!stopBackground) {
        try {
          const answer = await h.api('/api/take_photo2', { timeoutMs: 6000 });
          backgroundStatuses[answer.status] = (backgroundStatuses[answer.status] ?? 0) + 1;
          const message = jsonMessage(answer);
          if (answer.ms > 2500) backgroundProblems.push(`take_photo2 took ${answer.ms} ms (${answer.status} ${answer.text.trim()})`);
          if (answer.status === 200) photoPaths.push(String(message).replace(/^Photo taken: /, ''));
          else if (![500, 503].includes(answer.status)) backgroundProblems.push(`take_photo2 ${answer.status} ${answer.text.trim()}`);
        } catch (error) {
          backgroundProblems.push(`take_photo2: ${error instanceof Error ? error.message : String(error)}`);
        }
        await sleep(400);
      }
    })();

    const inFlightOutcomes: string[] = [];
    const recoveryMs: number[] = [];
    const frameGapMs: number[] = [];
    const completedRecordings: string[] = [];
    const killedRecordings: string[] = [];
    let pendingRecording: { path: string } | null = null;
    const kills = 20;
    const delays = [5, 20, 40, 70];

    for (let round = 0; round < kills; round++) {
      // Each worker must have run ≥ 5 s since it was ready (it counts as healthy), and kills ≥ 5.5 s apart.
      const due = Math.max(runningSince + 5300, lastKill + 5500);

      // A 3 s recording started in the previous round has ended by itself and is final by now.
      if (pendingRecording) {
        const { path } = pendingRecording;
        await poll(`the 3 s recording ${path} under its final name`, Math.max(0, due - Date.now()), () => existsSync(path), 50);
        completedRecordings.push(path);
        pendingRecording = null;
      }
      // Every fourth round the kill comes in the middle of a recording.
      if (round % 4 === 3) {
        await sleep(Math.max(0, due - 2000 - Date.now()));
        const endpoint = round % 8 === 3 ? '/api/record_video' : '/api/record_video2';
        const answer = await h.api(endpoint, { body: JSON.stringify({ duration: 3 }) });
        expect(answer.status, answer.text).toBe(200);
        killedRecordings.push(String(jsonMessage(answer)).replace(/^Video recorded to /, ''));
      }
      await sleep(Math.max(0, due - Date.now()));

      // What the worker runs now: both camera sources (and maybe an encoder), all in its process group.
      const tree = descendantsOf(worker.pid);
      const ffmpegs = ffmpegsBelow(worker.pid);
      expect(ffmpegs.filter((p) => isSource(p, 'testsrc')).map(describe), `round ${round}: camera 0's source`).toHaveLength(1);
      expect(ffmpegs.filter((p) => isSource(p, 'smptebars')).map(describe), `round ${round}: camera 1's source`).toHaveLength(1);
      for (const p of tree) expect(p.pgid, describe(p)).toBe(worker.pid);

      // (a) A photo in flight at the moment of the kill.
      const inFlight = h.api('/api/take_photo', { timeoutMs: 10_000 });
      await sleep(delays[round % delays.length] ?? 0);
      const killAt = Date.now();
      process.kill(worker.pid, 'SIGKILL');
      const old = worker;

      const [answer, , next] = await Promise.all([
        inFlight,
        // No orphan: the killed worker and everything it ran are gone within 3 s.
        (async () => {
          const left = await waitUntilGone([old, ...tree], killAt + 3000 - Date.now());
          expect(left.map(describe), `round ${round}: processes of the killed worker ${old.pid} still alive 3 s after the kill`).toEqual([]);
          expect(groupMembers(old.pid).map(describe), `round ${round}: members of the killed worker's group`).toEqual([]);
        })(),
        // (b) A new worker comes up and /api/info says running again.
        (async () => {
          const fresh = await h.worker(servePid, old.pid, 5000);
          await poll(`round ${round}: /api/info running after the kill`, Math.max(0, killAt + 5000 - Date.now()), async () => (await h.info()).state === 'running', 100);
          return fresh;
        })(),
        // (c) Both streams stay open and deliver a frame from after the kill within 3 s.
        ...streams.map(async (stream, index) => {
          const part = await poll(`round ${round}: stream ${index} frame with X-Timestamp after the kill`, Math.max(0, killAt + 3000 - Date.now()), () =>
            stream.parts.find((p) => timestampOf(p) > killAt / 1000),
          ).catch(async (error: Error) => {
            const last = stream.parts.at(-1);
            const seen = last ? `last part received ${last.receivedAt - killAt} ms after the kill, X-Timestamp ${(timestampOf(last) - killAt / 1000).toFixed(3)} s after it` : 'no part';
            const now = await h.info().catch((failure: Error) => failure.message);
            throw new Error(`${error.message}; ended: ${stream.ended()}; ${stream.parts.length} parts since the last round, ${seen}; /api/info: ${JSON.stringify(now)}; load: ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
          });
          frameGapMs.push(part.receivedAt - killAt);
          expect(jpegOk(part.jpeg), `round ${round}: stream ${index} frame is a whole JPEG`).toBe(true);
          expect(stream.ended(), `round ${round}: stream ${index} must stay open`).toBe(false);
        }),
      ]);
      runningSince = Date.now();
      recoveryMs.push(runningSince - killAt);
      lastKill = killAt;
      worker = next as ProcessInfo;
      expect(worker.pid).not.toBe(old.pid);

      expect(answer.ms, `round ${round}: take_photo in flight at the kill answered in ${answer.ms} ms: ${answer.text}`).toBeLessThanOrEqual(2500);
      const message = jsonMessage(answer);
      expect(typeof message, answer.text).toBe('string');
      if (answer.status === 200) {
        expect(message).toMatch(/^Photo taken: \//);
        photoPaths.push(String(message).replace(/^Photo taken: /, ''));
      } else {
        expect([500, 503], `round ${round}: ${answer.status} ${answer.text}`).toContain(answer.status);
      }
      inFlightOutcomes.push(`${answer.status} ${answer.ms}ms ${String(message).slice(0, 90)}`);

      // (d) take_photo works again.
      const photo = await h.api('/api/take_photo', { timeoutMs: 5000 });
      expect(photo.status, `round ${round}: take_photo after recovery: ${photo.text}`).toBe(200);
      const photoPath = String(jsonMessage(photo)).replace(/^Photo taken: /, '');
      expect(photoPath.startsWith(join(h.dataDir, 'photos', 'camera_0') + '/')).toBe(true);
      expect(existsSync(photoPath), photoPath).toBe(true);
      photoPaths.push(photoPath);

      // Every fourth round (from the second) a 3 s recording that ends by itself before the next kill.
      if (round % 4 === 1) {
        const endpoint = round % 8 === 1 ? '/api/record_video2' : '/api/record_video';
        const recorded = await h.api(endpoint, { body: JSON.stringify({ duration: 3 }) });
        expect(recorded.status, `round ${round}: ${recorded.text}`).toBe(200);
        pendingRecording = { path: String(jsonMessage(recorded)).replace(/^Video recorded to /, '') };
      }
      for (const stream of streams) stream.parts.splice(0, stream.parts.length);
    }

    stopBackground = true;
    await background;
    for (const stream of streams) expect(stream.ended(), 'the streams stay open through every kill').toBe(false);
    expect(backgroundProblems).toEqual([]);

    // Files: complete under final names, temp files only hidden.
    const listing = await listCaptures(h.dataDir);
    expect(listing.others, 'nothing but final names and hidden temp files').toEqual([]);
    const durations = await checkFinalFiles(listing.finals);
    for (const path of photoPaths) expect(listing.finals, `answered photo ${path}`).toContain(path);
    for (const path of completedRecordings) {
      const duration = durations.get(path);
      expect(duration, `${path}: a 3 s recording`).toBeGreaterThan(2);
      expect(duration).toBeLessThan(4.5);
    }
    for (const path of killedRecordings) expect(existsSync(path), `${path}: its worker was SIGKILLed mid-recording, so no final file`).toBe(false);
    expect(listing.partials.length, 'recordings killed midway leave hidden temp files').toBeGreaterThan(0);

    console.log(
      JSON.stringify(
        {
          kills,
          inFlightOutcomes,
          recoveryMs,
          maxFrameGapMs: Math.max(...frameGapMs),
          backgroundStatuses,
          photos: listing.finals.filter((p) => p.endsWith('.jpg')).length,
          mp4: [...durations].map(([p, d]) => `${p.split('/').slice(-2).join('/')} ${d}s`),
          partials: listing.partials.map((p) => p.split('/').slice(-2).join('/')),
        },
        null,
        1,
      ),
    );

    // Stop, start again on the same data directory: the temp files are gone, the final files stay.
    const code = await h.cam.serve.stop();
    expect(code).toBe(0);
    const again = await startServe(h.dataDir);
    h.serves.push(again);
    const after = await listCaptures(h.dataDir);
    expect(after.partials, 'temp files removed at the next start').toEqual([]);
    expect(after.finals.sort()).toEqual(listing.finals.sort());
    expect(await again.stop()).toBe(0);
  } finally {
    stopBackground = true;
    await background.catch(() => undefined);
    await h.cleanup();
  }
});

test('SIGTERM to serve with a stream open and a recording running: exit 0 within 5 s, nothing left behind', async () => {
  const h = await Harness.start();
  try {
    const servePid = h.servePid();
    const stream = await h.stream('/video_feed');
    await stream.waitFor(2, 10_000);
    const recorded = await h.api('/api/record_video');
    expect(recorded.status, recorded.text).toBe(200);
    const video = String(jsonMessage(recorded)).replace(/^Video recorded to /, '');
    await sleep(1500);

    const worker = await h.worker(servePid);
    const serveInfo = readProcess(servePid) as ProcessInfo;
    const tree = descendantsOf(worker.pid);
    const ffmpegs = ffmpegsBelow(worker.pid);
    expect(ffmpegs.length, `source and encoder: ${ffmpegs.map(describe).join('; ')}`).toBeGreaterThanOrEqual(2);
    expect(existsSync(join(h.dataDir, 'campanel.lock'))).toBe(true);
    expect(existsSync(join(h.dataDir, 'campanel.sock'))).toBe(true);

    const started = Date.now();
    const code = await Promise.race([h.cam.serve.stop(), sleep(5000).then(() => 'still running after 5 s' as const)]);
    const elapsed = Date.now() - started;
    expect(code, `serve's exit after SIGTERM (${elapsed} ms)`).toBe(0);
    await poll('the stream connection ended', 1000, () => stream.ended());

    const left = await waitUntilGone([serveInfo, worker, ...tree], 500);
    expect(left.map(describe), 'serve, worker and ffmpegs gone').toEqual([]);
    expect(groupMembers(worker.pid).map(describe)).toEqual([]);
    expect(existsSync(join(h.dataDir, 'campanel.lock')), 'campanel.lock removed').toBe(false);
    expect(existsSync(join(h.dataDir, 'campanel.sock')), 'campanel.sock removed').toBe(false);

    // The recording: finalised under its name and playable, or absent; never a half-written final name.
    const listing = await listCaptures(h.dataDir);
    expect(listing.others).toEqual([]);
    await checkFinalFiles(listing.finals);
    const finalised = existsSync(video);
    console.log(JSON.stringify({ stopMs: elapsed, recording: finalised ? `finalised ${await mp4Duration(video)} s` : 'absent', partials: listing.partials.length }));
  } finally {
    await h.cleanup();
  }
});

test('kill -9 of serve while streaming and recording: the worker and its ffmpegs notice and are gone within 3 s', async () => {
  const h = await Harness.start();
  try {
    const servePid = h.servePid();
    const streams = [await h.stream('/video_feed'), await h.stream('/video_feed2')];
    for (const stream of streams) await stream.waitFor(2, 10_000);
    const recorded = await h.api('/api/record_video');
    expect(recorded.status, recorded.text).toBe(200);
    const video = String(jsonMessage(recorded)).replace(/^Video recorded to /, '');
    await sleep(1500);

    const worker = await h.worker(servePid);
    const tree = descendantsOf(worker.pid);
    expect(ffmpegsBelow(worker.pid).length).toBeGreaterThanOrEqual(3);

    const killedAt = Date.now();
    process.kill(servePid, 'SIGKILL');
    const left = await waitUntilGone([worker, ...tree], 3000);
    const goneMs = Date.now() - killedAt;
    expect(left.map(describe), 'worker and ffmpegs alive 3 s after serve was killed').toEqual([]);
    expect(groupMembers(worker.pid).map(describe)).toEqual([]);
    for (const stream of streams) await poll('the stream connection ended', 1000, () => stream.ended());

    const listing = await listCaptures(h.dataDir);
    expect(listing.others).toEqual([]);
    await checkFinalFiles(listing.finals);
    // The worker closes its recording when its parent dies (a stderr EPIPE once looped here and lost it).
    expect(existsSync(video), 'the recording is closed under its final name').toBe(true);
    expect(goneMs, 'the worker shut down promptly, not by its 2.8 s backstop').toBeLessThan(2000);

    // A new serve starts on the same data directory (stale lock) and removes the temp files.
    const again = await startServe(h.dataDir);
    h.serves.push(again);
    expect((await listCaptures(h.dataDir)).partials).toEqual([]);
    expect(await again.stop()).toBe(0);
  } finally {
    await h.cleanup();
  }
});

test('Restart API through the panel ends every open stream within 1 s; a new stream works afterwards', async () => {
  const h = await Harness.start();
  try {
    const streams = [await h.stream('/video_feed'), await h.stream('/video_feed2'), await h.stream('/video_feed')];
    for (const stream of streams) await stream.waitFor(2, 10_000);

    // The panel: start token → session cookie, log in, then the RPC the "Restart API" button sends.
    const panel = h.cam.serve.origin;
    const exchange = await call(h.cam.serve.panelUrl);
    expect(exchange.status).toBe(303);
    const setCookie = exchange.headers['set-cookie']?.[0] ?? '';
    expect(setCookie).toMatch(/^campanel_session_\d+=/);
    const cookie = setCookie.split(';')[0] ?? '';
    const rpc = (channel: string, body: unknown) =>
      call(`${panel}/rpc/${channel}`, { method: 'POST', headers: { Cookie: cookie, 'X-CamPanel': '1', 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    const login = await rpc('login', { name: ALICE.name, password: ALICE.password });
    expect(login.status, login.text).toBe(200);

    const sentAt = Date.now();
    const restarted = await rpc('restartApi', {});
    const returnedAt = Date.now();
    expect(restarted.status, restarted.text).toBe(200);
    expect(JSON.parse(restarted.text)).toMatchObject({ ok: true, value: { running: true } });

    await poll('every stream ended', Math.max(0, sentAt + 1000 - Date.now()), () => streams.every((s) => s.ended())).catch(() => undefined);
    const endings = streams.map((s) => (s.endedAt() === null ? null : (s.endedAt() as number) - sentAt));
    console.log(JSON.stringify({ restartCallMs: returnedAt - sentAt, streamEndedMsAfterSending: endings }));
    for (const [index, ms] of endings.entries()) {
      expect(ms, `stream ${index} ended (ms after sending Restart API)`).not.toBeNull();
      expect(ms as number).toBeLessThanOrEqual(1000);
    }

    const fresh = await h.stream('/video_feed');
    await fresh.waitFor(2, 5000);
    expect(jpegOk(fresh.parts[1]?.jpeg ?? Buffer.alloc(0))).toBe(true);
  } finally {
    await h.cleanup();
  }
});

test('idle timeout: the camera source stops after the last client leaves; a snapshot starts it again', async () => {
  const h = await Harness.start({ idleSeconds: 2 });
  try {
    const servePid = h.servePid();
    const worker = await h.worker(servePid);
    await poll('the worker reports its cameras', 10_000, async () => (await h.info()).cameras.every((c) => c.state === 'idle'));
    // Nobody needs frames: no camera source runs.
    expect(ffmpegsBelow(worker.pid).filter((p) => isSource(p, 'testsrc') || isSource(p, 'smptebars')).map(describe)).toEqual([]);

    const stream = await h.stream('/video_feed');
    await stream.waitFor(2, 10_000);
    const source = ffmpegsBelow(worker.pid).find((p) => isSource(p, 'testsrc'));
    expect(source, 'camera 0 source while streaming').toBeDefined();
    expect((await h.info()).cameras[0]).toMatchObject({ state: 'running', clients: 1 });

    const leftAt = Date.now();
    stream.close();
    const left = await waitUntilGone([source as ProcessInfo], 4000);
    const stoppedMs = Date.now() - leftAt;
    expect(left.map(describe), 'camera 0 source ~4 s after the last client left').toEqual([]);
    await poll('/api/info shows camera 0 idle', 1500, async () => (await h.info()).cameras[0]?.state === 'idle');
    expect((await h.info()).cameras[0]?.clients).toBe(0);

    // A snapshot may be the latest frame while it is at most 1 s old (§5.5): let the last one age first.
    await sleep(1100);
    const askedAt = Date.now();
    const snapshot = await call(h.url('/photo_feed'), { timeoutMs: 3000 });
    expect(snapshot.status, snapshot.text.slice(0, 200)).toBe(200);
    expect(snapshot.ms).toBeLessThanOrEqual(3000);
    expect(snapshot.headers['content-type']).toBe('image/jpeg');
    expect(Number(snapshot.headers['content-length'])).toBe(snapshot.body.length);
    expect(jpegOk(snapshot.body), 'a whole JPEG').toBe(true);
    expect(Number(snapshot.headers['x-timestamp']), 'a frame from the restarted source').toBeGreaterThan(askedAt / 1000);
    const restarted = ffmpegsBelow(worker.pid).find((p) => isSource(p, 'testsrc'));
    expect(restarted?.pid, 'a new camera 0 source').toBeDefined();
    expect(restarted?.pid).not.toBe(source?.pid);
    console.log(JSON.stringify({ sourceStoppedMsAfterClientLeft: stoppedMs, snapshotMs: snapshot.ms }));
  } finally {
    await h.cleanup();
  }
});
