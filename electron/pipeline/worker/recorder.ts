/**
 * One MP4 recording: the camera's frames piped into an ffmpeg H.264 encoder writing a hidden temp
 * file, linked to its final name when the encoder has closed the file.
 */
import type { ChildProcess } from 'node:child_process';
import { open, unlink } from 'node:fs/promises';
import { recordArgs } from './backends.js';
import type { CameraSource } from './camera-source.js';
import { ensureDir } from '../../util/ensure-dir.js';
import { describeFsError, linkToFinal, partialPath, reserveName, reservedPaths, syncFile } from './capture-names.js';
import { describeSpawnError, spawnTool } from './child-process.js';
import { StderrRing } from './stderr-ring.js';
import { UserError } from './user-error.js';

/** How long a recording waits for its first frame (the source may have to start first). */
export const RECORD_START_MS = 6000;
/** Encoder input allowed to queue before frames are skipped (≈ 1 s of 720p). */
const BACKLOG_BYTES = 4 * 1024 * 1024;

export interface RecordingHooks {
  log(line: string): void;
  /** The recording ended by itself (duration reached, source or encoder failed). */
  ended(path: string | null, reason: string): void;
}

interface EncoderExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  error?: string;
}

type Phase = 'starting' | 'recording' | 'stopping' | 'done';

export class Recording {
  private phase: Phase = 'starting';
  /** The final path announced at start (reserved until the file is linked or given up). */
  path: string | null = null;
  private tmp: string | null = null;
  private encoder: ChildProcess | null = null;
  private encoderExit: Promise<EncoderExit> = Promise.resolve({ code: null, signal: null });
  private readonly stderr = new StderrRing(20, 1000);
  private detach: Array<() => void> = [];
  private timers: NodeJS.Timeout[] = [];
  private firstWritten = false;
  private skipped = 0;
  private stopping: Promise<string> | null = null;
  private startSettled: ((error: string | null) => void) | null = null;

  constructor(
    private readonly source: CameraSource,
    private readonly ffmpeg: string,
    private readonly dir: string,
    private readonly stem: string,
    private readonly durationSeconds: number,
    private readonly hooks: RecordingHooks,
  ) {}

  get camera(): number {
    return this.source.num;
  }

  /** Resolves with the final path once the encoder has accepted the first frame; rejects with an Error in words. */
  async start(): Promise<string> {
    let path: string;
    try {
      await ensureDir(this.dir);
      path = await reserveName(this.dir, this.stem, 'mp4');
      this.path = path;
      this.tmp = partialPath(this.dir, this.stem, 'mp4');
      // Created exclusively by us, so the encoder's -y can only ever overwrite our own empty file.
      await (await open(this.tmp, 'wx', 0o644)).close();
    } catch (error) {
      await this.discard();
      throw new UserError(describeFsError(error, this.dir));
    }
    if (this.phase !== 'starting') {
      await this.discard();
      throw new UserError('the recording was stopped before it began');
    }
    const encoder = spawnTool(this.ffmpeg, recordArgs(this.source.spec.fps, this.tmp), ['pipe', 'ignore', 'pipe']);
    this.encoder = encoder;
    encoder.stderr?.on('data', (chunk: Buffer) => this.stderr.push(chunk));
    encoder.stdin?.on('error', () => undefined); // EPIPE if the encoder dies: its exit says why
    this.encoderExit = new Promise((resolve) => {
      encoder.once('exit', (code, signal) => resolve({ code, signal }));
      encoder.once('error', (error) => resolve({ code: null, signal: null, error: describeSpawnError('ffmpeg', this.ffmpeg, error) }));
    });
    void this.encoderExit.then((exit) => this.onEncoderExit(exit));

    const settled = new Promise<string | null>((resolve) => (this.startSettled = resolve));
    this.detach.push(this.source.addFrameListener((jpeg) => this.onFrame(jpeg)));
    this.detach.push(this.source.acquire());
    this.timers.push(setTimeout(() => this.abortStart(`camera ${this.camera} delivered no frame within ${RECORD_START_MS / 1000} s: ${this.sourceSummary()}`), RECORD_START_MS));
    const error = await settled;
    if (error !== null) throw new UserError(error);
    return path;
  }

  /** Ends the recording: closes the encoder's input, waits for the file, links it. Resolves with the final path. */
  stop(graceMs = 5000): Promise<string> {
    if (this.phase === 'starting') {
      this.abortStart('the recording was stopped before it began');
      return Promise.reject(new UserError('the recording was stopped before it began'));
    }
    this.stopping ??= this.finish(graceMs);
    return this.stopping;
  }

  /** True from the first accepted frame until the file is final. */
  get isRecording(): boolean {
    return this.phase === 'recording' || this.phase === 'stopping';
  }

  /** Ends the recording for `reason` (source failed, camera reconfigured); reported through hooks.ended. */
  end(reason: string): void {
    if (this.phase === 'starting') this.abortStart(reason);
    else this.endBySelf(reason);
  }

  private onFrame(jpeg: Buffer): void {
    const stdin = this.encoder?.stdin;
    if (!stdin || !stdin.writable || (this.phase !== 'starting' && this.phase !== 'recording')) return;
    if (stdin.writableLength > BACKLOG_BYTES) {
      this.skipped += 1;
      return;
    }
    if (this.firstWritten) {
      stdin.write(jpeg);
      return;
    }
    this.firstWritten = true;
    // "Started" means the encoder really has a frame, not that one was queued for it.
    stdin.write(jpeg, (error) => {
      if (error || this.phase !== 'starting') return;
      this.phase = 'recording';
      this.startSettled?.(null);
      if (this.durationSeconds > 0) this.timers.push(setTimeout(() => this.endBySelf('duration reached'), this.durationSeconds * 1000));
    });
  }

  private endBySelf(reason: string): void {
    if (this.phase !== 'recording') return;
    this.stop().then(
      (path) => this.hooks.ended(path, reason),
      (error: Error) => this.hooks.ended(null, `${reason}; ${error.message}`),
    );
  }

  private abortStart(error: string): void {
    if (this.phase !== 'starting') return;
    this.phase = 'done';
    this.release();
    this.encoder?.kill('SIGKILL');
    void this.encoderExit.then(() => this.discard());
    this.startSettled?.(error);
  }

  private onEncoderExit(exit: EncoderExit): void {
    if (this.phase === 'starting') this.abortStart(`the video encoder (ffmpeg) could not start: ${this.describeExit(exit)}`);
    else if (this.phase === 'recording') {
      this.phase = 'done';
      this.release();
      void this.discard();
      this.hooks.ended(null, `the video encoder (ffmpeg) stopped: ${this.describeExit(exit)}`);
    }
  }

  private async finish(graceMs: number): Promise<string> {
    this.phase = 'stopping';
    this.release();
    if (this.skipped > 0) this.hooks.log(`camera ${this.camera}: the recording skipped ${this.skipped} frames (encoder busy)`);
    this.encoder?.stdin?.end();
    const kill = setTimeout(() => this.encoder?.kill('SIGKILL'), graceMs);
    const exit = await this.encoderExit;
    clearTimeout(kill);
    this.phase = 'done';
    const tmp = this.tmp;
    if (exit.code !== 0 || tmp === null) {
      await this.discard();
      throw new UserError(`the video encoder (ffmpeg) did not finish the file: ${this.describeExit(exit)}`);
    }
    try {
      await syncFile(tmp);
      return await linkToFinal(tmp, this.dir, this.stem, 'mp4', this.path);
    } catch (error) {
      await this.discard();
      throw new UserError(describeFsError(error, this.dir));
    } finally {
      if (this.path !== null) reservedPaths.delete(this.path);
    }
  }

  private release(): void {
    for (const timer of this.timers) clearTimeout(timer);
    for (const undo of this.detach) undo();
    this.timers = [];
    this.detach = [];
  }

  /** Gives up the file: temp removed, name no longer reserved. */
  private async discard(): Promise<void> {
    if (this.path !== null) reservedPaths.delete(this.path);
    if (this.tmp !== null) await unlink(this.tmp).catch(() => undefined);
  }

  private describeExit(exit: EncoderExit): string {
    this.stderr.flush();
    const how = exit.error ?? (exit.signal !== null ? `killed by ${exit.signal}` : `exit code ${exit.code}`);
    const last = this.stderr.snapshot().at(-1);
    return last ? `${how}: ${last}` : how;
  }

  private sourceSummary(): string {
    const { state, error } = this.source.status();
    return error ? `${state}: ${error}` : state;
  }
}
