/**
 * Everything the main process owns, in plain Node: settings, users, tokens, the API lifecycle.
 * The Electron app and `campanel serve` both open one of these on the same data directory.
 */
import { EventEmitter } from 'node:events';
import type { PanelEvent } from '../../shared/contract.js';
import type { Logger } from '../logging/logger.js';
import { SettingsStore, confBackend, type SettingsBackendFactory } from '../settings/settings-store.js';
import { TokenRegistry } from '../tokens/token-registry.js';
import { LoginLimiter } from '../users/login-limiter.js';
import { UserStore } from '../users/user-store.js';
import { ApiController } from './api-controller.js';

export interface CoreOptions {
  dataDir: string;
  logger: Logger;
  settingsBackend?: SettingsBackendFactory;
}

export class CamPanelCore {
  /** Emits 'event' with a PanelEvent whenever a topic's state changes. */
  readonly events = new EventEmitter();
  readonly limiter = new LoginLimiter();
  readonly api: ApiController;

  private constructor(
    readonly dataDir: string,
    readonly logger: Logger,
    readonly settings: SettingsStore,
    readonly users: UserStore,
    readonly tokens: TokenRegistry,
  ) {
    this.events.setMaxListeners(100);
    this.api = new ApiController({
      settings,
      users,
      tokens,
      limiter: this.limiter,
      logger,
      onChange: () => this.emit('api'),
    });
    users.onChange(() => this.emit('users'));
    settings.onChange(() => this.emit('settings'));
  }

  static async open(options: CoreOptions): Promise<CamPanelCore> {
    const { dataDir, logger } = options;
    const settings = SettingsStore.open(dataDir, options.settingsBackend ?? confBackend);
    const view = settings.view();
    if (view.warnings.length > 0) {
      logger.warn({ warnings: view.warnings, backup: view.backupPath }, 'settings repaired at start-up');
    }
    const users = await UserStore.open(dataDir);
    const tokens = await TokenRegistry.open(dataDir);
    return new CamPanelCore(dataDir, logger, settings, users, tokens);
  }

  emit(topic: PanelEvent['topic']): void {
    const event: PanelEvent = { topic };
    this.events.emit('event', event);
  }

  async close(): Promise<void> {
    await this.api.stop();
    await this.tokens.flush();
  }
}
