/**
 * One camera's MJPEG source process (ffmpeg or rpicam-vid): started while needed (demanded, recorded,
 * or a capture waiting), split into frames, restarted with backoff after a failure.
 */
import type { ChildProcess } from 'node:child_process';
import { MAX_FRAME_BYTES, type CameraSpec, type ToolPaths, type WorkerCameraState } from '../protocol.js';
import { describeSpawnError, endOf, spawnTool, stopChild } from './child-process.js';
import { FrameRate } from './frame-rate.js';
import { JpegSplitter, jpegDimensions } from './jpeg-splitter.js';
import { buildSourceCommand, configurationProblem } from './source-command.js';
import { StderrRing } from './stderr-ring.js';

export type FrameListener = (jpeg: Buffer, timestamp: number) => void;
export type SourceState = WorkerCameraState['state'];

export interface SourceHooks {
  changed(): void;
  log(line: string): void;
  /** The running source failed (exited, stalled, could not start): recordings on it end. */
  failed(error: string): void;
}

export const NO_FRAME_MS = 5000;
const MAX_BACKOFF_MS = 10_000;
/** Source stderr lines copied to the worker log per run: a misbehaving tool must not flood it. */
const LOGGED_LINES_PER_RUN = 50;

/** Unix seconds with microsecond precision. */
export const nowSeconds = (): number => Math.round((performance.timeOrigin + performance.now()) * 1000) / 1e6;

const sameSpec = (a: CameraSpec, b: CameraSpec): boolean =>
  a.backend === b.backend && a.device === b.device && a.width === b.width && a.height === b.height && a.fps === b.fps && a.jpegQuality === b.jpegQuality;

export class CameraSource {
  state: SourceState = 'idle';
  private error: string | null = null;
  private errorLines: string[] = [];
  private width: number;
  private height: number;
  private child: ChildProcess | null = null;
  /** A start is under way or running; bumped generation makes callbacks of older runs no-ops. */
  private active = false;
  private generation = 0;
  private demanded = false;
  private holds = 0;
  private suspended = 0;
  private disposed = false;
  private attempt = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private watchdog: NodeJS.Timeout | null = null;
  private gotFrame = false;
  private stderr = new StderrRing();
  private readonly listeners = new Set<FrameListener>();
  private readonly exiting = new Set<Promise<void>>();
  private readonly rate = new FrameRate();

  constructor(
    public spec: CameraSpec,
    private tools: ToolPaths,
    private readonly hooks: SourceHooks,
  ) {
    this.width = spec.width;
    this.height = spec.height;
    this.update();
  }

  get num(): number {
    return this.spec.num;
  }

  /** The configuration cannot work (a tool is missing): not worth waiting for frames. */
  get configurationError(): string | null {
    return configurationProblem(this.spec, this.tools);
  }

  private get wanted(): boolean {
    return this.demanded || this.holds > 0;
  }

  private get needed(): boolean {
    return this.wanted && this.suspended === 0 && !this.disposed;
  }

  setDemand(active: boolean): void {
    this.demanded = active;
    this.update();
  }

  /** Keeps the source running until the returned release function is called (idempotent). */
  acquire(): () => void {
    this.holds += 1;
    this.update();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holds -= 1;
      this.update();
    };
  }

  addFrameListener(listener: FrameListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * The next frame (starting the source if needed); after `timeoutMs` (or cancel) instead the camera's
   * state in words, as it was then ("failed: rpicam-vid exited with code 255").
   */
  nextFrame(timeoutMs: number): { frame: Promise<Buffer | string>; cancel: () => void } {
    let finish: (frame: Buffer | null) => void = () => undefined;
    const frame = new Promise<Buffer | string>((resolve) => {
      let release: () => void = () => undefined;
      const timer = setTimeout(() => finish(null), timeoutMs);
      const remove = this.addFrameListener((jpeg) => finish(jpeg));
      finish = (jpeg) => {
        // Described before letting go: releasing may stop the source and reset its state.
        const result = jpeg ?? (this.error ? `${this.state}: ${this.error}` : this.state);
        clearTimeout(timer);
        remove();
        release();
        finish = () => undefined;
        resolve(result);
      };
      release = this.acquire();
    });
    return { frame, cancel: () => finish(null) };
  }

  /** Runs `task` with the source process stopped and gone (rpicam-still needs the camera to itself). */
  async withCameraReleased<T>(task: () => Promise<T>): Promise<T> {
    this.suspended += 1;
    this.update();
    await Promise.all(this.exiting);
    try {
      return await task();
    } finally {
      this.suspended -= 1;
      this.update();
    }
  }

  /** New settings; returns true when they differ (a running source restarts with them). */
  /** Whether `spec`/`tools` would change the source's command (only then does it restart). */
  differs(spec: CameraSpec, tools: ToolPaths): boolean {
    const tool = (t: ToolPaths) => (spec.backend === 'rpicam' ? t.rpicamVid : t.ffmpeg);
    return !sameSpec(this.spec, spec) || tool(this.tools) !== tool(tools);
  }

  reconfigure(spec: CameraSpec, tools: ToolPaths): boolean {
    if (!this.differs(spec, tools)) {
      this.tools = tools;
      return false;
    }
    this.stopProcess();
    this.spec = spec;
    this.tools = tools;
    this.width = spec.width;
    this.height = spec.height;
    this.attempt = 0;
    this.setState('idle', null, []);
    this.update();
    return true;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    this.listeners.clear();
    this.stopProcess();
    await Promise.all(this.exiting);
  }

  status(): Omit<WorkerCameraState, 'recording' | 'recordingPath'> {
    return { camera: this.num, state: this.state, width: this.width, height: this.height, fps: this.fps(), error: this.error, stderr: this.errorLines };
  }

  fps(): number {
    return this.state === 'running' ? this.rate.perSecond(nowSeconds()) : 0;
  }

  private setState(state: SourceState, error: string | null, lines: string[]): void {
    if (this.state === state && this.error === error && lines.length === 0 && this.errorLines.length === 0) return;
    this.state = state;
    this.error = error;
    this.errorLines = lines;
    this.hooks.changed();
  }

  private update(): void {
    if (this.disposed) return;
    const problem = this.configurationError;
    if (problem !== null) {
      this.stopProcess();
      this.setState('failed', problem, []);
    } else if (this.needed) {
      if (!this.active && this.retryTimer === null) void this.start();
    } else {
      this.stopProcess();
      // Suspended for a raw photo but still wanted: it comes back by itself.
      this.setState(this.wanted && !this.disposed ? 'starting' : 'idle', null, []);
    }
  }

  private async start(): Promise<void> {
    const gen = ++this.generation;
    this.active = true;
    this.gotFrame = false;
    this.rate.reset();
    this.stderr = new StderrRing();
    // A retry keeps showing the last failure until frames flow again.
    this.setState('starting', this.error, this.errorLines);
    const built = await buildSourceCommand(this.spec, this.tools);
    if (gen !== this.generation) return;
    if ('error' in built) return this.fail(gen, built.error);
    let logged = 0;
    const prefix = `camera ${this.num}: ${built.tool}: `;
    const stderr = new StderrRing(20, 1000, (line) => {
      // After we stopped it, its complaints ("Broken pipe") are our doing, not news.
      if (gen !== this.generation) return;
      logged += 1;
      if (logged <= LOGGED_LINES_PER_RUN) this.hooks.log(prefix + line);
      else if (logged === LOGGED_LINES_PER_RUN + 1) this.hooks.log(`${prefix}(further lines not logged)`);
    });
    this.stderr = stderr;
    const child = spawnTool(built.command, built.args, ['ignore', 'pipe', 'pipe']);
    this.child = child;
    const splitter = new JpegSplitter((jpeg) => this.onJpeg(gen, jpeg), MAX_FRAME_BYTES);
    child.stdout?.on('data', (chunk: Buffer) => splitter.push(chunk));
    child.stdout?.on('error', () => undefined);
    child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.once('error', (error: NodeJS.ErrnoException) => this.fail(gen, describeSpawnError(built.tool, built.command, error)));
    child.once('exit', (code, signal) => {
      if (gen !== this.generation) return;
      const how = signal !== null ? `was killed by ${signal}` : `exited with code ${code}`;
      // The lines that explain the exit may still be in the pipe.
      void endOf(child.stderr, 300).then(() => {
        stderr.flush();
        this.fail(gen, `${built.tool} ${how}`);
      });
    });
    this.watchdog = setTimeout(() => this.fail(gen, `${built.tool} delivered no frame within ${NO_FRAME_MS / 1000} s of starting`), NO_FRAME_MS);
    this.hooks.log(`camera ${this.num}: started ${built.tool} (pid ${child.pid ?? '?'})`);
  }

  private onJpeg(gen: number, jpeg: Buffer): void {
    if (gen !== this.generation) return;
    const timestamp = nowSeconds();
    if (!this.gotFrame) {
      this.gotFrame = true;
      this.attempt = 0;
      if (this.watchdog) clearTimeout(this.watchdog);
      this.watchdog = null;
      const size = jpegDimensions(jpeg);
      this.width = size?.width ?? this.spec.width;
      this.height = size?.height ?? this.spec.height;
      this.setState('running', null, []);
    }
    this.rate.add(timestamp);
    for (const listener of this.listeners) listener(jpeg, timestamp);
  }

  private fail(gen: number, error: string): void {
    if (gen !== this.generation) return;
    this.stopProcess();
    this.setState('failed', error, this.stderr.snapshot());
    this.hooks.log(`camera ${this.num} failed: ${error}`);
    if (this.needed) {
      // Scheduled before the hook below, whose release of holds re-enters update(): the retry timer
      // keeps that from restarting at once, without backoff.
      const delay = Math.min(1000 * 2 ** this.attempt, MAX_BACKOFF_MS);
      this.attempt += 1;
      this.retryTimer = setTimeout(() => {
        this.retryTimer = null;
        this.update();
      }, delay);
    }
    this.hooks.failed(error);
    // Not needed any more (or never was): idle, not failed — a failure matters while someone waits.
    if (!this.needed) this.update();
  }

  private stopProcess(): void {
    this.generation += 1;
    this.active = false;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.watchdog) clearTimeout(this.watchdog);
    this.retryTimer = null;
    this.watchdog = null;
    const child = this.child;
    this.child = null;
    if (!child) return;
    // Closing our end of stdout also ends a grandchild writing to it (EPIPE), whatever the child does.
    child.stdout?.destroy();
    const exited: Promise<void> = stopChild(child).finally(() => this.exiting.delete(exited));
    this.exiting.add(exited);
  }
}
