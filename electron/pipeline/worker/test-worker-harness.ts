/**
 * Test support (not used by the worker): runs the BUILT worker as the main process does (fork,
 * detached, stdout = frames, minimal env), records everything it says, and cleans up every process.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { decodeFrameHeader, FRAME_HEADER_BYTES, fromWorkerSchema, type CameraSpec, type FromWorker, type ToolPaths, type ToWorker, type WorkerCameraState } from '../protocol.js';
import { groupMembers, isAlive } from '../../test-support/process-table.js';

export const BUILT_WORKER = fileURLToPath(new URL('../../../out/electron/pipeline/worker/worker-main.js', import.meta.url));
export const FAKE_RPICAM_DIR = fileURLToPath(new URL('../../test-support/fake-rpicam', import.meta.url));
export const FFMPEG = '/usr/bin/ffmpeg';
export const TOOLS: ToolPaths = { ffmpeg: FFMPEG, rpicamVid: `${FAKE_RPICAM_DIR}/rpicam-vid`, rpicamStill: `${FAKE_RPICAM_DIR}/rpicam-still` };

export const testCamera = (num: number, over: Partial<CameraSpec> = {}): CameraSpec => ({ num, backend: 'testsrc', device: 'testsrc2', width: 320, height: 240, fps: 15, jpegQuality: 80, ...over });

export type Result = Extract<FromWorker, { type: 'result' }>;
type Request = Extract<ToWorker, { id: number }>;
type RequestWithoutId = Request extends infer R ? (R extends Request ? Omit<R, 'id'> : never) : never;

export interface ReceivedFrame {
  camera: number;
  timestamp: number;
  receivedAt: number;
  jpeg: Buffer;
}

const running = new Set<TestWorker>();

export class TestWorker {
  readonly messages: FromWorker[] = [];
  readonly invalid: unknown[] = [];
  readonly frames: ReceivedFrame[] = [];
  frameStreamError: string | null = null;
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private pending: Buffer = Buffer.alloc(0);
  private nextId = 1;
  private listeners = new Set<() => void>();

  private constructor(readonly child: ChildProcess) {
    running.add(this);
    child.on('message', (raw: unknown) => {
      const checked = fromWorkerSchema.safeParse(raw); // every message the worker sends is checked
      if (checked.success) this.messages.push(checked.data);
      else this.invalid.push(raw);
      this.notify();
    });
    child.stdout?.on('data', (chunk: Buffer) => this.onStdout(chunk));
    child.stderr?.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    void this.exited.then(() => this.notify());
  }

  static start(env: Record<string, string> = {}): TestWorker {
    // execArgv: [] — not the test runner's Node flags.
    const child = fork(BUILT_WORKER, [], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'], env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env }, detached: true, execArgv: [] });
    return new TestWorker(child);
  }

  get pid(): number {
    return this.child.pid as number;
  }

  send(message: ToWorker): void {
    this.child.send(message);
  }

  configure(cameras: CameraSpec[], tools: ToolPaths = TOOLS): void {
    this.send({ type: 'configure', cameras, tools });
  }

  async request(message: RequestWithoutId, timeoutMs = 15_000): Promise<Result> {
    const id = this.nextId++;
    this.send({ ...message, id } as Request);
    return this.waitFor(() => this.messages.find((m): m is Result => m.type === 'result' && m.id === id), timeoutMs, `result of ${message.type} ${id}`);
  }

  state(camera: number): WorkerCameraState | undefined {
    for (let i = this.messages.length - 1; i >= 0; i -= 1) {
      const message = this.messages[i];
      if (message?.type === 'cameras') return message.cameras.find((c) => c.camera === camera);
    }
    return undefined;
  }

  framesOf(camera: number, since = 0): ReceivedFrame[] {
    return this.frames.filter((f) => f.camera === camera && f.receivedAt >= since);
  }

  /** Resolves with find()'s first truthy value; re-checked on every message, frame and every 50 ms. */
  waitFor<T>(find: () => T | undefined | null | false, timeoutMs = 10_000, what = 'condition'): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const value = find();
        if (value === undefined || value === null || value === false) return;
        done();
        resolve(value);
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`timed out waiting for ${what}; worker stderr:\n${this.stderr}`));
      }, timeoutMs);
      const poll = setInterval(check, 50);
      const done = () => {
        clearTimeout(timer);
        clearInterval(poll);
        this.listeners.delete(check);
      };
      this.listeners.add(check);
      check();
    });
  }

  /** SIGTERM, as the main process stops it; SIGKILL to the whole group if that does not work. */
  async stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    const timeout = new Promise<null>((resolve) => setTimeout(() => resolve(null), 5000));
    const exit = await Promise.race([this.exited, timeout]);
    await this.cleanUp();
    if (exit === null) throw new Error('the worker did not exit within 5 s of SIGTERM');
    return exit;
  }

  /** Kills whatever is left of the worker's process group (the worker and every child) and waits. */
  async cleanUp(): Promise<void> {
    const pgid = this.child.pid;
    running.delete(this);
    if (pgid === undefined) return;
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // ESRCH: the group is empty already.
    }
    const deadline = Date.now() + 5000;
    while ((isAlive(pgid) || groupMembers(pgid).length > 0) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }

  private onStdout(chunk: Buffer): void {
    const now = Date.now() / 1000;
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    while (this.frameStreamError === null && this.pending.length >= FRAME_HEADER_BYTES) {
      const header = decodeFrameHeader(this.pending);
      if (!header) {
        this.frameStreamError = `not a frame header: ${this.pending.subarray(0, FRAME_HEADER_BYTES).toString('hex')}`;
        return;
      }
      const end = FRAME_HEADER_BYTES + header.length;
      if (this.pending.length < end) break;
      this.frames.push({ camera: header.camera, timestamp: header.timestamp, receivedAt: now, jpeg: Buffer.from(this.pending.subarray(FRAME_HEADER_BYTES, end)) });
      this.pending = this.pending.subarray(end);
    }
    this.notify();
  }
}

/** For afterEach: every worker a test started is gone, with all its children, whatever happened. */
export async function cleanUpWorkers(): Promise<void> {
  await Promise.all([...running].map((worker) => worker.cleanUp()));
}

export const isJpeg = (data: Buffer): boolean => data.length > 4 && data[0] === 0xff && data[1] === 0xd8 && data.at(-2) === 0xff && data.at(-1) === 0xd9;

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
