/**
 * The camera side of the core: the supervised worker, the frames it produces, the streams that fan them
 * out, and the operations every entry point uses (API endpoints, panel, CLI): captures, recordings, switch.
 */
import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import type { CameraConfig, CameraSettings, PipelineState } from '../../shared/domain.js';
import { SendQueueProbe } from '../api-server/streams/send-queue.js';
import { StreamFanout } from '../api-server/streams/stream-fanout.js';
import type { MjpegClient } from '../api-server/streams/mjpeg-client.js';
import type { Logger } from '../logging/logger.js';
import { CameraDemand } from './camera-demand.js';
import { CameraError } from './camera-errors.js';
import { cameraDir, captureStem, checkWritableDir, photoRoot } from './capture-files.js';
import { FrameHub, FrameTimeoutError, type Frame } from './frames/frame-hub.js';
import { FrameReader } from './frames/frame-reader.js';
import { describePipeline, pipelineView } from './pipeline-view.js';
import type { CameraSpec, ToolPaths, WorkerCameraState } from './protocol.js';
import type { PipelineSupervisor, WorkerMessage } from './supervisor.js';
import { WorkerRequests } from './worker-requests.js';

/** A snapshot is the latest frame when it is at most this old; otherwise the next one. */
const SNAPSHOT_MAX_AGE_MS = 1000;
/** Time for an idle camera to start and deliver its first frame. */
const FIRST_FRAME_MS = 5000;
const CAPTURE_TIMEOUT_MS = 8000;
const RECORD_TIMEOUT_MS = 10_000;

export interface CameraServiceOptions {
  dataDir: string;
  supervisor: PipelineSupervisor;
  logger: Logger;
  tools: ToolPaths;
  settings: () => CameraSettings;
  /** Stores a new active camera (switch_cameras). */
  saveActiveCamera: (camera: number) => void;
}

export class CameraService {
  readonly hub = new FrameHub();
  readonly streams: StreamFanout;
  /**
   * Emits 'change' when the pipeline state the panel shows may have changed, and 'captured' when a photo or
   * video file is complete, whichever entry point asked for it (panel, /api, a recording's duration ending).
   */
  readonly events = new EventEmitter<{ change: []; captured: [camera: number, path: string] }>();
  readonly #options: CameraServiceOptions;
  readonly #supervisor: PipelineSupervisor;
  readonly #requests = new WorkerRequests();
  readonly #demand: CameraDemand;
  #reported = new Map<number, WorkerCameraState>();
  #configured: CameraConfig[] = [];
  /** Recordings in progress by camera → final path, as this side knows them (the worker's reports lag behind). */
  readonly #recordings = new Map<number, string>();
  readonly #recordingSince = new Map<number, string>();
  #configureKey = '';
  /** Each camera's spec as last sent to the worker, to keep the frames of cameras a change leaves alone. */
  #sentSpecs = new Map<number, string>();
  /** Panel previews open per camera (Electron's protocol handler), counted as clients beside the streams. */
  readonly #previews = new Map<number, number>();

  constructor(options: CameraServiceOptions) {
    this.#options = options;
    this.#supervisor = options.supervisor;
    this.streams = new StreamFanout(this.hub, SendQueueProbe.create(), (camera, count) => {
      this.#demand.streamClients(camera, count);
      this.#changed();
    });
    this.#demand = new CameraDemand(
      (camera, active) => this.#supervisor.send({ type: 'demand', camera, active }),
      options.settings().idleTimeoutSeconds,
    );
    this.#supervisor.on('ready', (handle) => {
      const reader = new FrameReader((camera, jpeg, timestamp) => this.hub.publish(camera, jpeg, timestamp));
      handle.frames.on('data', (chunk: Buffer) => reader.push(chunk));
      this.#reported = new Map();
      this.#configureKey = '';
      this.#sentSpecs = new Map();
      this.applySettings();
      this.#demand.resend();
    });
    this.#supervisor.on('message', (message) => this.#onMessage(message));
    this.#supervisor.on('exit', (exit) => {
      this.#reported = new Map();
      this.#recordings.clear();
      this.#requests.failAll(new CameraError('unavailable', `${describePipeline(this.#supervisor.state)}: ${exit.description}`));
      this.#changed();
    });
    this.#supervisor.on('state', () => this.#changed());
  }

  start(): void {
    this.applySettings();
    this.#supervisor.start();
  }

  async stop(): Promise<void> {
    this.#demand.dispose();
    this.streams.close();
    this.#requests.failAll(new CameraError('unavailable', 'CamPanel is shutting down'));
    await this.#supervisor.stop();
  }

  /** Operator's "Restart pipeline": a fresh worker, failure count reset. */
  async restartPipeline(): Promise<PipelineState> {
    await this.#supervisor.restart();
    return this.state();
  }

  /** Send the stored camera settings to the worker when they changed (and to a new worker). */
  applySettings(): void {
    const settings = this.#options.settings();
    this.#configured = settings.cameras;
    const cameras: CameraSpec[] = settings.cameras.map((camera, num) => ({ num, ...camera }));
    const key = JSON.stringify(cameras);
    if (key !== this.#configureKey && this.#supervisor.send({ type: 'configure', cameras, tools: this.#options.tools })) {
      this.#configureKey = key;
      // The worker restarts only the cameras whose spec changed; the others keep their source and their frames.
      const sent = new Map(cameras.map((camera) => [camera.num, JSON.stringify(camera)]));
      for (const num of new Set([...this.#sentSpecs.keys(), ...sent.keys()])) {
        if (this.#sentSpecs.get(num) !== sent.get(num)) this.hub.forget(num);
      }
      this.#sentSpecs = sent;
    }
    this.#demand.configure(
      cameras.map((camera) => camera.num),
      settings.idleTimeoutSeconds,
    );
    this.#changed();
  }

  state(): PipelineState {
    const { cameras, activeCamera } = this.#options.settings();
    return pipelineView(
      this.#supervisor.state,
      this.#configured,
      this.#reported,
      (camera) => this.streams.clients(camera) + (this.#previews.get(camera) ?? 0),
      activeCamera < cameras.length ? activeCamera : 0,
      (camera) => this.#recordingSince.get(camera) ?? null,
    );
  }

  /** raspiCamSrv's active camera (/video_feed, take_photo). */
  activeCamera(): number {
    const { cameras, activeCamera } = this.#options.settings();
    if (cameras.length === 0) throw new CameraError('notConfigured', 'No camera is configured');
    return activeCamera < cameras.length ? activeCamera : 0;
  }

  /** raspiCamSrv's second camera: the next configured camera after the active one, or null. */
  secondCamera(): number | null {
    const count = this.#options.settings().cameras.length;
    return count < 2 ? null : (this.activeCamera() + 1) % count;
  }

  isConfigured(camera: number): boolean {
    return Number.isInteger(camera) && camera >= 0 && camera < this.#options.settings().cameras.length;
  }

  isRecording(camera: number): boolean {
    return this.#recordings.has(camera);
  }

  recordingPath(camera: number): string | null {
    return this.#recordings.get(camera) ?? null;
  }

  /** raspiCamSrv's switch_cameras: the second camera becomes the active one. */
  async switchCameras(): Promise<void> {
    const second = this.secondCamera();
    if (second === null) throw new CameraError('state', 'No other camera available');
    this.#options.saveActiveCamera(second);
    this.#options.logger.info({ activeCamera: second }, 'cameras switched');
    this.#changed();
  }

  /** A complete JPEG of `camera`: the latest frame if fresh, else the next one (starting an idle camera). */
  async snapshot(camera: number): Promise<Frame> {
    this.#requireUsable(camera);
    const fresh = this.hub.fresh(camera, SNAPSHOT_MAX_AGE_MS);
    if (fresh) return fresh;
    const release = this.#demand.hold(camera);
    try {
      return await this.hub.next(camera, FIRST_FRAME_MS);
    } catch (error) {
      if (error instanceof FrameTimeoutError) throw new CameraError('failed', this.#noFrameText(camera, error));
      throw error;
    } finally {
      release();
    }
  }

  /** A panel preview: counted as a client of `camera`, keeps its source running until the returned function is called. */
  holdPreview(camera: number): () => void {
    const release = this.#demand.hold(camera);
    this.#previews.set(camera, (this.#previews.get(camera) ?? 0) + 1);
    this.#changed();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      release();
      this.#previews.set(camera, Math.max(0, (this.#previews.get(camera) ?? 1) - 1));
      this.#changed();
    };
  }

  openStream(camera: number, socket: Socket): MjpegClient {
    return this.streams.open(camera, socket);
  }

  /** Photo (jpg/png) or raw (dng/tiff) from the camera's next frame; resolves with the file's absolute path. */
  async capture(camera: number, kind: 'photo' | 'raw', stem = captureStem()): Promise<string> {
    this.#requireUsable(camera);
    const settings = this.#options.settings();
    const dir = cameraDir(photoRoot(this.#options.dataDir, settings.photoDir), camera);
    await checkWritableDir(dir);
    const format = kind === 'photo' ? settings.photoType : settings.rawType;
    const release = this.#demand.hold(camera);
    try {
      const path = await this.#requests.request(
        (id) => this.#supervisor.send({ type: 'capture', id, camera, kind, format, dir, stem }),
        CAPTURE_TIMEOUT_MS,
        `camera ${camera} did not complete the capture within ${CAPTURE_TIMEOUT_MS / 1000} s`,
      );
      this.events.emit('captured', camera, path);
      return path;
    } finally {
      release();
    }
  }

  /** Starts recording; resolves with the video's final path once frames flow into the encoder. */
  async startRecording(camera: number, durationSeconds: number, stem = captureStem()): Promise<string> {
    this.#requireUsable(camera);
    const settings = this.#options.settings();
    const dir = cameraDir(photoRoot(this.#options.dataDir, settings.photoDir), camera);
    await checkWritableDir(dir);
    const existing = this.#recordings.get(camera);
    if (existing) throw new CameraError('state', `Camera ${camera} is already recording to ${existing}`);
    const path = await this.#requests.request(
      (id) => this.#supervisor.send({ type: 'record', id, camera, format: settings.videoType, dir, stem, durationSeconds }),
      RECORD_TIMEOUT_MS,
      `camera ${camera} did not start recording within ${RECORD_TIMEOUT_MS / 1000} s`,
    );
    this.#recordings.set(camera, path);
    this.#recordingSince.set(camera, new Date().toISOString());
    this.#options.logger.info({ camera, path, durationSeconds }, 'recording started');
    this.#changed();
    return path;
  }

  /** Stops recording; resolves with the final path once the file is closed. */
  async stopRecording(camera: number): Promise<string> {
    this.#requireUsable(camera);
    if (!this.#recordings.has(camera)) throw new CameraError('state', 'No video recording in progress');
    try {
      const path = await this.#requests.request(
        (id) => this.#supervisor.send({ type: 'stopRecord', id, camera }),
        RECORD_TIMEOUT_MS,
        `camera ${camera} did not close its recording within ${RECORD_TIMEOUT_MS / 1000} s`,
      );
      this.#options.logger.info({ camera, path }, 'recording stopped');
      this.events.emit('captured', camera, path);
      return path;
    } finally {
      this.#recordings.delete(camera);
      this.#recordingSince.delete(camera);
      this.#changed();
    }
  }

  #requireUsable(camera: number): void {
    if (!this.isConfigured(camera)) throw new CameraError('notConfigured', `Camera ${camera} is not configured`);
    const supervisor = this.#supervisor.state;
    if (supervisor.state !== 'running') throw new CameraError('unavailable', describePipeline(supervisor));
  }

  #noFrameText(camera: number, error: FrameTimeoutError): string {
    const report = this.#reported.get(camera);
    const why = report?.error ? `: ${report.error}` : report ? ` (${report.state})` : '';
    return `${error.message}${why}`;
  }

  #onMessage(message: WorkerMessage): void {
    switch (message.type) {
      case 'cameras': {
        const next = new Map(message.cameras.map((camera) => [camera.camera, camera]));
        for (const [camera, state] of next) {
          const before = this.#reported.get(camera);
          if (before?.state !== state.state) {
            const level = state.state === 'failed' ? 'warn' : 'info';
            this.#options.logger[level]({ camera, state: state.state, error: state.error ?? undefined }, 'camera state');
          }
        }
        this.#reported = next;
        this.#changed();
        return;
      }
      case 'result':
        this.#requests.answer(message);
        return;
      case 'recordingEnded':
        this.#recordings.delete(message.camera);
        this.#recordingSince.delete(message.camera);
        this.#options.logger.info({ camera: message.camera, path: message.path, reason: message.reason }, 'recording ended');
        if (message.path !== null) this.events.emit('captured', message.camera, message.path);
        this.#changed();
        return;
    }
  }

  #changed(): void {
    this.events.emit('change');
  }
}
