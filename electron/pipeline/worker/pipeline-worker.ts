/**
 * The worker's state: cameras (sources), demands, recordings; turns control messages into actions
 * and reports camera states. Knows nothing about how messages and frames travel (see worker-main.ts).
 */
import type { CameraSpec, FromWorker, ToolPaths, ToWorker, WorkerCameraState } from '../protocol.js';
import { MISSING_TOOL } from './backends.js';
import { CameraSource } from './camera-source.js';
import { capture } from './capture.js';
import { Recording } from './recorder.js';
import { UserError } from './user-error.js';

export interface WorkerIo {
  send(message: FromWorker): void;
  writeFrame(camera: number, jpeg: Buffer, timestamp: number): void;
  log(line: string): void;
}

const MAX_ERROR = 2000;
const REQUEST_BACKSTOP_MS = 60_000;

export class PipelineWorker {
  private readonly sources = new Map<number, CameraSource>();
  private readonly outputs = new Map<number, () => void>();
  private readonly demanded = new Set<number>();
  private readonly recordings = new Map<number, Recording>();
  private tools: ToolPaths = { ffmpeg: null, rpicamVid: null, rpicamStill: null };
  private statusQueued = false;
  private closing = false;
  private readonly ticker: NodeJS.Timeout;

  constructor(private readonly io: WorkerIo) {
    // Once a second while anything runs: the measured fps changes without any event.
    this.ticker = setInterval(() => {
      const busy = [...this.sources.values()].some((s) => s.state === 'starting' || s.state === 'running') || this.recordings.size > 0;
      if (busy) this.sendStatus();
    }, 1000);
    this.ticker.unref();
  }

  handle(message: ToWorker): void {
    if (this.closing) {
      if (message.type === 'capture' || message.type === 'record' || message.type === 'stopRecord') this.fail(message.id, 'the camera pipeline is stopping');
      return;
    }
    switch (message.type) {
      case 'configure':
        return this.configure(message.cameras, message.tools);
      case 'demand':
        if (message.active) this.demanded.add(message.camera);
        else this.demanded.delete(message.camera);
        return this.sources.get(message.camera)?.setDemand(message.active);
      case 'capture': {
        const recording = this.recordings.get(message.camera);
        return this.reply(message.id, capture(message, { source: this.sources.get(message.camera), tools: this.tools, recordingPath: recording?.path ?? null }));
      }
      case 'record':
        return this.reply(message.id, this.record(message));
      case 'stopRecord':
        return this.reply(message.id, this.stopRecord(message.camera));
    }
  }

  /** Finalises recordings and stops every source (each SIGTERM, SIGKILL after 2 s). */
  async shutdown(reason: string): Promise<void> {
    this.closing = true;
    clearInterval(this.ticker);
    const recordings = [...this.recordings.values()].map((recording) =>
      // One that has not started yet just fails its `record` request.
      !recording.isRecording ? recording.stop(2000).catch(() => undefined) : recording.stop(2000).then(
        (path) => this.io.send({ type: 'recordingEnded', camera: recording.camera, path, reason: clip(reason) }),
        (error: Error) => this.io.send({ type: 'recordingEnded', camera: recording.camera, path: null, reason: clip(`${reason}; ${error.message}`) }),
      ),
    );
    await Promise.all([...recordings, ...[...this.sources.values()].map((source) => source.dispose())]);
  }

  private configure(cameras: CameraSpec[], tools: ToolPaths): void {
    this.tools = tools;
    const listed = new Set(cameras.map((spec) => spec.num));
    for (const [num, source] of this.sources) {
      if (listed.has(num)) continue;
      this.recordings.get(num)?.end(`camera ${num} was removed from the configuration`);
      this.outputs.get(num)?.();
      this.outputs.delete(num);
      this.sources.delete(num);
      void source.dispose();
    }
    for (const spec of cameras) {
      const source = this.sources.get(spec.num);
      if (source) {
        // A recording cannot change resolution or frame rate midway: it ends with the old settings.
        if (source.differs(spec, tools)) this.recordings.get(spec.num)?.end(`the settings of camera ${spec.num} changed`);
        source.reconfigure(spec, tools);
      } else {
        this.addSource(spec, tools);
      }
    }
    this.changed();
  }

  private addSource(spec: CameraSpec, tools: ToolPaths): void {
    const num = spec.num;
    const source = new CameraSource(spec, tools, {
      changed: () => this.changed(),
      log: (line) => this.io.log(line),
      failed: (error) => this.recordings.get(num)?.end(`camera ${num} failed: ${error}`),
    });
    this.sources.set(num, source);
    this.outputs.set(num, source.addFrameListener((jpeg, timestamp) => this.io.writeFrame(num, jpeg, timestamp)));
    if (this.demanded.has(num)) source.setDemand(true);
  }

  private async record(message: Extract<ToWorker, { type: 'record' }>): Promise<string> {
    const { camera } = message;
    const source = this.sources.get(camera);
    if (!source) throw new UserError(`camera ${camera} is not configured`);
    const existing = this.recordings.get(camera);
    if (existing) throw new UserError(`camera ${camera} is already recording to ${existing.path ?? 'a new file'}`);
    const problem = source.configurationError;
    if (problem !== null) throw new UserError(`camera ${camera} cannot record: ${problem}`);
    if (this.tools.ffmpeg === null) throw new UserError(MISSING_TOOL.ffmpeg);
    const recording = new Recording(source, this.tools.ffmpeg, message.dir, message.stem, message.durationSeconds, {
      log: (line) => this.io.log(line),
      ended: (path, reason) => {
        this.forget(recording);
        this.io.log(`camera ${camera}: recording ended (${reason}): ${path ?? 'no file kept'}`);
        this.io.send({ type: 'recordingEnded', camera, path, reason: clip(reason) });
      },
    });
    this.recordings.set(camera, recording);
    try {
      const path = await recording.start();
      this.io.log(`camera ${camera}: recording to ${path}`);
      return path;
    } catch (error) {
      this.forget(recording);
      throw error;
    } finally {
      this.changed();
    }
  }

  private async stopRecord(camera: number): Promise<string> {
    const recording = this.recordings.get(camera);
    if (!recording) throw new UserError('No video recording in progress');
    try {
      return await recording.stop();
    } finally {
      this.forget(recording);
    }
  }

  private forget(recording: Recording): void {
    if (this.recordings.get(recording.camera) === recording) this.recordings.delete(recording.camera);
    this.changed();
  }

  private reply(id: number, work: Promise<string>): void {
    // Backstop: whatever hangs (a stuck file system, a tool that ignores its timeout), the request is answered.
    let answered = false;
    const backstop = setTimeout(() => {
      answered = true;
      this.fail(id, `no answer within ${REQUEST_BACKSTOP_MS / 1000} s`);
    }, REQUEST_BACKSTOP_MS);
    backstop.unref();
    work.finally(() => clearTimeout(backstop)).then(
      (path) => {
        if (!answered) this.io.send({ type: 'result', id, ok: true, path });
      },
      (error: unknown) => {
        if (answered) return;
        // Expected failures carry a message in words; anything else is a bug worth a log line.
        if (!(error instanceof UserError)) this.io.log(`request ${id} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        this.fail(id, error instanceof Error ? error.message : String(error));
      },
    );
  }

  private fail(id: number, error: string): void {
    this.io.send({ type: 'result', id, ok: false, error: clip(error) });
  }

  private changed(): void {
    if (this.statusQueued || this.closing) return;
    this.statusQueued = true;
    // Coalesced: one message for all the changes of one turn of the event loop.
    setImmediate(() => {
      this.statusQueued = false;
      if (!this.closing) this.sendStatus();
    });
  }

  private sendStatus(): void {
    const cameras: WorkerCameraState[] = [...this.sources.values()]
      .sort((a, b) => a.num - b.num)
      .map((source) => {
        const recording = this.recordings.get(source.num);
        const active = recording?.isRecording === true;
        return { ...source.status(), recording: active, recordingPath: active ? (recording?.path ?? null) : null };
      });
    this.io.send({ type: 'cameras', cameras });
  }
}

const clip = (text: string): string => (text.length > MAX_ERROR ? `${text.slice(0, MAX_ERROR - 1)}…` : text);
