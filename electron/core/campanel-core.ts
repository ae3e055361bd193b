/**
 * Everything the main process owns, in plain Node: settings, users, tokens, the API lifecycle.
 * The Electron app and `campanel serve` both open one of these on the same data directory.
 */
import { EventEmitter } from 'node:events';
import type { PanelEvent } from '../../shared/contract.js';
import { workerPath } from '../app-paths.js';
import { CaptureStore } from '../captures/capture-store.js';
import type { Logger } from '../logging/logger.js';
import { CameraService } from '../pipeline/camera-service.js';
import { cameraDir, photoRoot } from '../pipeline/capture-files.js';
import { removePartialFiles } from '../pipeline/worker/capture-names.js';
import { CAMERA_LIMITS } from '../../shared/domain.js';
import { detectCameras, firstCamera } from '../pipeline/detection.js';
import { PipelineSupervisor } from '../pipeline/supervisor.js';
import { resolveTools } from '../pipeline/tools.js';
import type { ToolPaths } from '../pipeline/protocol.js';
import type { WorkerLauncher } from '../pipeline/worker-handle.js';
import { forkLauncher, minimalWorkerEnv } from '../pipeline/worker-launcher.js';
import { SettingsStore, confBackend, type SettingsBackendFactory } from '../settings/settings-store.js';
import { TokenRegistry } from '../tokens/token-registry.js';
import { removeAbandonedTempFiles } from '../util/atomic-write.js';
import { expandPath } from '../secrets/secrets-file.js';
import { LoginLimiter } from '../users/login-limiter.js';
import { NetworkLoginLimiter } from '../users/network-login-limiter.js';
import { UserStore } from '../users/user-store.js';
import { stopGpgAgent } from '../gpg/gpg-keys.js';
import { NotificationService } from '../notifications/notification-service.js';
import { secretsSections, type SecretsSections } from '../secrets/secrets-sections.js';
import { secretsFileCipher } from '../system-config/config-cipher.js';
import { SystemConfigStore } from '../system-config/config-store.js';
import { NodeIdentity } from '../system-config/node-identity.js';
import { SystemConfigService } from '../system-config/system-config-service.js';
import { ApiController } from './api-controller.js';
import { createSystemApi } from './system-api.js';

export interface CoreOptions {
  dataDir: string;
  logger: Logger;
  settingsBackend?: SettingsBackendFactory;
  /** How the camera pipeline's worker is started: child_process.fork (default) or Electron's utilityProcess. */
  workerLauncher?: WorkerLauncher;
  /** Supervisor timings (tests shorten them). */
  pipeline?: { handshakeTimeoutMs?: number; stopGraceMs?: number };
}

export class CamPanelCore {
  /** Emits 'event' with a PanelEvent whenever a topic's state changes. */
  readonly events = new EventEmitter();
  /** Panel logins (desktop window, loopback panel) and network logins (API, streams) are limited apart. */
  readonly panelLimiter = new LoginLimiter();
  readonly networkLimiter = new NetworkLoginLimiter();
  readonly api: ApiController;
  readonly camera: CameraService;
  /** The photos and videos in the photo directory (Captures screen, media routes). */
  readonly captures: CaptureStore;
  readonly tools: ToolPaths;
  /** The /system config entries (Settings → System); password values encrypted with a key in the secrets file. */
  readonly systemConfig: SystemConfigService;
  /** The sections of the configured secrets file besides the JWT key (mail password, config key). */
  readonly secretsSections: SecretsSections;
  readonly notifications: NotificationService;
  /** GnuPG homes /system/gpgkeys listed: listing starts their gpg-agent, which close() stops. */
  readonly gpgHomesUsed = new Set<string>();
  #cameraStarted = false;

  private constructor(
    readonly dataDir: string,
    readonly logger: Logger,
    readonly settings: SettingsStore,
    readonly users: UserStore,
    readonly tokens: TokenRegistry,
    configStore: SystemConfigStore,
    readonly nodes: NodeIdentity,
    options: CoreOptions,
  ) {
    this.events.setMaxListeners(100);
    this.tools = resolveTools();
    const supervisor = new PipelineSupervisor({
      launcher: options.workerLauncher ?? forkLauncher(workerPath()),
      env: minimalWorkerEnv(),
      logger,
      // A worker that ran this long was healthy: its next exit starts a fresh count, at the shortest backoff,
      // so a worker killed from outside comes back within a second however often that happens.
      stableAfterMs: 5000,
      ...options.pipeline,
    });
    this.camera = new CameraService({
      dataDir,
      supervisor,
      logger,
      tools: this.tools,
      settings: () => settings.get().camera,
      saveActiveCamera: (activeCamera) => settings.setCamera({ ...settings.get().camera, activeCamera }),
    });
    this.camera.events.on('change', () => this.emit('camera'));
    // Every finished photo or video, whichever way it was asked for (panel, /api, a recording's duration).
    this.camera.events.on('captured', () => this.emit('captures'));
    this.captures = new CaptureStore({
      dataDir,
      photoDir: () => settings.get().camera.photoDir,
      ffmpeg: this.tools.ffmpeg,
      onChange: () => this.emit('captures'),
    });
    this.secretsSections = secretsSections(() => settings.get().api.secretsFilePath);
    const cipher = secretsFileCipher(this.secretsSections);
    this.systemConfig = new SystemConfigService(configStore, cipher);
    // setDefault's DefaultMaxFailCount / DefaultResetFailCount drive the network login limit, live.
    this.networkLimiter.configure(this.systemConfig.defaults());
    configStore.onChange(() => {
      this.networkLimiter.configure(this.systemConfig.defaults());
      this.emit('system');
    });
    this.notifications = new NotificationService({ settings, sections: this.secretsSections, logger });
    let secretsPath = settings.get().api.secretsFilePath;
    settings.onChange(() => {
      // Another secrets file holds another config key (or none): read it afresh when it is needed.
      const path = settings.get().api.secretsFilePath;
      if (path !== secretsPath) cipher.forgetKey();
      secretsPath = path;
    });
    for (const warning of [...configStore.warnings, ...nodes.warnings]) logger.warn({ warning }, 'system configuration repaired at start-up');
    this.api = new ApiController({
      system: createSystemApi(this),
      camera: this.camera,
      settings,
      users,
      tokens,
      limiter: this.networkLimiter,
      logger,
      onChange: () => this.emit('api'),
    });
    users.onChange(() => this.emit('users'));
    settings.onChange(() => {
      this.emit('settings');
      if (this.#cameraStarted) this.camera.applySettings();
    });
  }

  static async open(options: CoreOptions): Promise<CamPanelCore> {
    const { dataDir, logger } = options;
    const settings = SettingsStore.open(dataDir, options.settingsBackend ?? confBackend);
    const view = settings.view();
    if (view.warnings.length > 0) {
      logger.warn({ warnings: view.warnings, backup: view.backupPath }, 'settings repaired at start-up');
    }
    await removeSecretsTempFiles(settings.get().api.secretsFilePath, logger);
    const users = await UserStore.open(dataDir);
    const tokens = await TokenRegistry.open(dataDir);
    const configStore = await SystemConfigStore.open(dataDir);
    const nodes = await NodeIdentity.open(dataDir);
    return new CamPanelCore(dataDir, logger, settings, users, tokens, configStore, nodes, options);
  }

  /**
   * Starts the camera pipeline (app and `serve` only; CLI commands never do). With no camera configured,
   * the first detected camera is stored, else the test source, so a new install shows a picture at once.
   */
  async startCamera(): Promise<void> {
    const stored = this.settings.get().camera;
    if (stored.cameras.length === 0) {
      const detected = await detectCameras(this.tools);
      const camera = firstCamera(detected);
      this.settings.setCamera({ ...stored, cameras: [camera], activeCamera: 0 });
      this.logger.info({ backend: camera.backend, device: camera.device, detected: detected.length }, 'first camera configured');
    }
    if (!this.tools.ffmpeg) this.logger.warn({}, 'ffmpeg was not found: install it (apt-get install ffmpeg)');
    await this.#removePartialFiles();
    this.logger.info({ photoDir: photoRoot(this.dataDir, this.settings.get().camera.photoDir), tools: this.tools }, 'camera pipeline starting');
    this.#cameraStarted = true;
    this.camera.start();
  }

  emit(topic: PanelEvent['topic']): void {
    const event: PanelEvent = { topic };
    this.events.emit('event', event);
  }

  /** Captures cut off by a crash or a power cut leave hidden temp files (never a final name): remove them. */
  async #removePartialFiles(): Promise<void> {
    const root = photoRoot(this.dataDir, this.settings.get().camera.photoDir);
    let removed = 0;
    for (let num = 0; num < CAMERA_LIMITS.cameras; num++) {
      removed += await removePartialFiles(cameraDir(root, num)).catch(() => 0);
    }
    if (removed > 0) this.logger.info({ removed }, 'unfinished capture files removed');
  }

  async close(): Promise<void> {
    await this.api.stop();
    await this.camera.stop();
    await this.tokens.flush();
    for (const home of this.gpgHomesUsed) await stopGpgAgent(home).catch(() => undefined);
  }
}

/** A key write killed before its rename leaves a temp file holding the new key beside the secrets file: remove it. */
async function removeSecretsTempFiles(configuredPath: string, logger: Logger): Promise<void> {
  let path: string;
  try {
    path = expandPath(configuredPath.trim());
  } catch {
    return; // blank or relative: there is no file to look beside
  }
  const removed = await removeAbandonedTempFiles(path).catch(() => []);
  if (removed.length > 0) logger.info({ removed }, 'temp files of an interrupted key write removed beside the secrets file');
}
