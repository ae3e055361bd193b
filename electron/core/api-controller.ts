/**
 * The API's lifecycle: it runs with a snapshot of the stored settings and key; "Restart API"
 * replaces the listener with one built from what is stored now. The banner is computed from
 * (stored settings, running snapshot, secrets check) by the pure apiBanner().
 *
 * A passphrase-protected secrets file starts locked: the listener then runs in locked mode (no key, every
 * path but /system answered 503, so that POST /system/hsm can unlock it over the network) and counts as not
 * running. Unlocking restarts it normally.
 */
import { randomBytes } from 'node:crypto';
import { apiBanner, type RunningApi, type SecretsCheck } from '../../shared/api-status.js';
import { RECOMMENDED_SECRETS_PATH, type ApiSettings, type ApiStatusView, type SecretsLock, type TokenRecord } from '../../shared/domain.js';
import type { ApiDeps, ApiTokenRegistry } from '../api-server/api-deps.js';
import { ApiServer } from '../api-server/api-server.js';
import type { SystemApi } from '../api-server/privacyidea/system-api.js';
import { JwtService } from '../jwt/jwt-service.js';
import { inspectSecretsFile, rotateSecretsKey, type SecretsResult } from '../secrets/secrets-file.js';
import { SecretsLockError, protectSecretsFile, secretsLockState, unlockSecretsFile, unprotectSecretsFile } from '../secrets/secrets-lock.js';
import type { SettingsStore } from '../settings/settings-store.js';
import type { TokenRegistry } from '../tokens/token-registry.js';
import { LoginFailureLog } from '../users/login-failure-log.js';
import type { NetworkLoginLimiter } from '../users/network-login-limiter.js';
import type { UserStore } from '../users/user-store.js';
import type { Logger } from '../logging/logger.js';
import type { CameraService } from '../pipeline/camera-service.js';
import { clientUrls } from './client-urls.js';
import { DomainError } from './errors.js';
import { CAMPANEL_VERSION } from './version.js';

export interface ApiControllerDeps {
  settings: SettingsStore;
  /** Served by the API's camera endpoints and streams; absent in tests that only need the auth API. */
  camera?: CameraService;
  users: UserStore;
  tokens: TokenRegistry;
  /** The network limiter, never the panel's: API failures must not lock the panel (docs/compatibility.md §2.1). */
  limiter: NetworkLoginLimiter;
  logger: Logger;
  /** Called whenever the API's state changes, so the panel can refetch. */
  onChange: () => void;
  /** The privacyIDEA-style /system endpoints, served beside /api; absent: /system is not served. */
  system?: SystemApi;
}

const toCheck = (result: SecretsResult | null): SecretsCheck => {
  if (!result) return { state: 'none' };
  if (result.ok) return { state: 'ok', keyId: result.keyId };
  if (result.problem === 'locked') return { state: 'locked', message: result.message };
  return { state: result.problem === 'unusable' ? 'error' : 'missing', message: result.message };
};

/** A locked listener's tokens: none is valid (its throwaway key signs nothing anyone holds, and /api/login is closed). */
const REFUSE_ALL_TOKENS: ApiTokenRegistry = { isRevoked: () => true, markUsed: () => undefined, isGenerated: () => false };

export class ApiController {
  private server: ApiServer | null = null;
  private running: RunningApi | null = null;
  private startError: string | null = null;
  /**
   * Set by a key rotation while the API runs: the listener still verifies with the retired key until
   * restarted, so it refuses every token issued up to the rotation (iat has one-second resolution;
   * the tie counts as revoked). A restart builds a listener with the new key and no cutoff.
   */
  private retiredKeyCutoff: number | null = null;
  /** The settings the listener was started with while the secrets file was locked; null when it is not in locked mode. */
  #lockedListener: ApiSettings | null = null;
  /** This process runs the API (the app or `serve`), as opposed to a one-off CLI process: set by the first (re)start. */
  #servesApi = false;
  /** Restart, stop and key rotation run one at a time, in the order asked for. */
  #lifecycle: Promise<unknown> = Promise.resolve();
  /** The restart queued behind the running one, which later requests join (see restart()). */
  #queuedRestart: Promise<ApiStatusView> | null = null;

  constructor(private readonly deps: ApiControllerDeps) {}

  #serial<T>(step: () => Promise<T>): Promise<T> {
    const result = this.#lifecycle.then(step);
    this.#lifecycle = result.catch(() => undefined);
    return result;
  }

  get isRunning(): boolean {
    return this.running !== null;
  }

  get urls(): string[] {
    return this.running?.urls ?? [];
  }

  /** The listener runs in locked mode: only /system (POST /system/hsm) answers until the secrets file is unlocked. */
  get lockedMode(): boolean {
    return this.#lockedListener !== null;
  }

  /** Resolves once every lifecycle step asked for so far (restart, stop, rotation, the restart after an unlock) is done. */
  settled(): Promise<void> {
    return this.#lifecycle.then(() => undefined);
  }

  /** Read-only look at the stored path; never creates anything. */
  private async inspectStored(): Promise<SecretsResult | null> {
    const path = this.deps.settings.get().api.secretsFilePath.trim();
    return path === '' ? null : inspectSecretsFile(path);
  }

  async status(): Promise<ApiStatusView> {
    const stored = this.deps.settings.get();
    const secrets = await this.inspectStored();
    const check = toCheck(secrets);
    const banner = apiBanner({
      allowApi: stored.general.allowApi,
      stored: stored.api,
      secrets: check,
      running: this.running,
      startError: this.startError,
    });
    return {
      banner,
      running: this.running !== null,
      keyPresent: secrets?.ok === true,
      generateDisabledReason: this.generateDisabledReason(check),
      recommendedPath: RECOMMENDED_SECRETS_PATH,
      resolvedSecretsPath: secrets?.resolvedPath ?? null,
    };
  }

  private generateDisabledReason(check: SecretsCheck): string | null {
    if (check.state === 'none') return 'Specify the JWT Secret Key File Path and submit it first.';
    if (check.state !== 'ok') return check.message;
    if (this.running && this.running.keyId !== check.keyId) return 'The JWT key has changed: restart the API first.';
    return null;
  }

  /** Why the API cannot start from the stored settings, or null when it can. */
  async inactiveReason(): Promise<string | null> {
    const stored = this.deps.settings.get();
    if (!stored.general.allowApi) return 'access through the API is not allowed (Settings → General)';
    const secrets = await this.inspectStored();
    if (!secrets) return 'no JWT Secret Key File Path specified';
    if (!secrets.ok) return secrets.message;
    return this.startError;
  }

  /** At app start: start from the stored settings when they are valid; never throws. */
  async startIfValid(): Promise<void> {
    this.#servesApi = true;
    const stored = this.deps.settings.get();
    if (!stored.general.allowApi || stored.api.secretsFilePath.trim() === '') return;
    try {
      await this.restart();
    } catch (error) {
      this.deps.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'API not started');
    }
  }

  /**
   * Replace the listener with one built from the stored settings (or stop it when the API is off).
   *
   * One restart at a time. A request that arrives while a restart runs does not start its own: it joins
   * the single restart queued behind the running one, which begins when that one has finished and reads
   * the settings stored by then. So every caller gets the result of a restart that began after it asked
   * (never an older one that may have read older settings), and ten clicks cost at most two restarts.
   */
  restart(): Promise<ApiStatusView> {
    this.#servesApi = true;
    if (this.#queuedRestart) return this.#queuedRestart;
    const queued = this.#serial(() => {
      this.#queuedRestart = null;
      return this.#restartNow();
    });
    this.#queuedRestart = queued;
    return queued;
  }

  async #restartNow(): Promise<ApiStatusView> {
    const stored = this.deps.settings.get();
    this.startError = null;
    if (!stored.general.allowApi || stored.api.secretsFilePath.trim() === '') {
      await this.#stopNow();
    } else {
      // Read only: a key is created only when the user configures a path or asks for a new key, never here.
      const secrets = await inspectSecretsFile(stored.api.secretsFilePath);
      if (!secrets.ok && secrets.problem === 'locked' && this.running === null) {
        // Nothing can serve /api without the key; listening anyway lets an admin unlock it over the network.
        await this.#stopNow();
        try {
          await this.#startLocked(stored.api);
        } catch (error) {
          this.startError = error instanceof Error ? error.message : String(error);
          this.deps.logger.warn({ err: this.startError }, 'API start (locked) failed');
        }
      } else if (!secrets.ok) {
        // The banner reports the file; a running listener is kept, as nothing could replace it without a key.
        this.deps.logger.warn({ reason: secrets.message }, 'API not restarted: the secrets file cannot be used');
      } else {
        await this.#stopNow();
        try {
          await this.start(stored.api, secrets.key, secrets.keyId);
        } catch (error) {
          this.startError = error instanceof Error ? error.message : String(error);
          this.deps.logger.warn({ err: this.startError }, 'API start failed');
        }
      }
    }
    this.deps.onChange();
    return this.status();
  }

  private async start(api: ApiSettings, key: string, keyId: string): Promise<void> {
    const jwt = new JwtService(key, { accessTokenMinutes: api.accessTokenMinutes, refreshTokenDays: api.refreshTokenDays });
    const registry = this.deps.tokens;
    this.retiredKeyCutoff = null;
    const tokens = {
      isRevoked: (jti: string, iat: number) =>
        registry.isRevoked(jti) || (this.retiredKeyCutoff !== null && iat <= this.retiredKeyCutoff),
      markUsed: (jti: string) => registry.markUsed(jti),
      isGenerated: (jti: string) => registry.isGenerated(jti),
    };
    const server = new ApiServer();
    await server.start({ host: api.host, port: api.port }, this.#serverDeps(api, jwt, tokens));
    this.server = server;
    // The stored port is never 0 (the schema refuses it), so it is the port the listener has.
    const urls = clientUrls(api.host, api.port);
    this.running = { settings: { ...api }, keyId, urls };
    this.deps.logger.info({ urls }, 'API started');
  }

  /**
   * The listener for a locked secrets file, on the configured address: a random throwaway key that nothing
   * was ever signed with, every token refused, and `secretsLocked` for the gate that answers 503 outside /system.
   */
  async #startLocked(api: ApiSettings): Promise<void> {
    const jwt = new JwtService(randomBytes(32).toString('base64url'), { accessTokenMinutes: api.accessTokenMinutes, refreshTokenDays: api.refreshTokenDays });
    const server = new ApiServer();
    await server.start({ host: api.host, port: api.port }, { ...this.#serverDeps(api, jwt, REFUSE_ALL_TOKENS), secretsLocked: () => true });
    this.server = server;
    this.#lockedListener = { ...api };
    this.deps.logger.warn({ host: api.host, port: api.port }, 'API started locked: the secrets file is protected; only POST /system/hsm answers until it is unlocked');
  }

  #serverDeps(api: ApiSettings, jwt: JwtService, tokens: ApiTokenRegistry): ApiDeps {
    return {
      jwt,
      tokens,
      limiter: this.deps.limiter,
      loginFailures: new LoginFailureLog(this.deps.logger),
      users: this.deps.users,
      accessTokenMinutes: api.accessTokenMinutes,
      logger: this.deps.logger,
      camera: this.deps.camera,
      streamAuthRequired: () => this.deps.settings.get().camera.requireAuthForStreaming,
      version: `CamPanel ${CAMPANEL_VERSION}`,
      system: this.deps.system,
    };
  }

  /** Waits for a restart in progress, so that nothing starts after the stop. */
  stop(): Promise<void> {
    return this.#serial(() => this.#stopNow());
  }

  async #stopNow(): Promise<void> {
    const server = this.server;
    this.server = null;
    this.running = null;
    this.#lockedListener = null;
    if (server) {
      await server.stop();
      this.deps.logger.info({}, 'API stopped');
    }
  }

  /** Mint a non-expiring access token for `owner`; only its jti, owner and label are recorded. */
  async generateToken(owner: string, label: string): Promise<{ token: string; record: TokenRecord }> {
    const path = this.deps.settings.get().api.secretsFilePath.trim();
    if (path === '') throw new DomainError('invalid', 'Specify the JWT Secret Key File Path and submit it first.');
    const secrets = await inspectSecretsFile(path);
    const reason = this.generateDisabledReason(toCheck(secrets));
    if (reason || !secrets.ok) throw new DomainError('invalid', reason ?? 'No valid JWT key');
    const jwt = new JwtService(secrets.key, { accessTokenMinutes: 0, refreshTokenDays: 0 });
    const { token, jti } = await jwt.signAccess(owner, { neverExpires: true });
    const record = await this.deps.tokens.add({ jti, owner, label: label.trim() });
    return { token, record };
  }

  /**
   * New key in the file (created when it is missing: the user asked for it), every token issued so far
   * refused; the running API keeps signing until restarted.
   */
  rotateKey(): Promise<ApiStatusView> {
    return this.#serial(() => this.#rotateKeyNow());
  }

  async #rotateKeyNow(): Promise<ApiStatusView> {
    const path = this.deps.settings.get().api.secretsFilePath.trim();
    if (path === '') throw new DomainError('invalid', 'Specify the JWT Secret Key File Path first.');
    const result = await rotateSecretsKey(path);
    if (!result.ok) throw new DomainError('invalid', result.message);
    await this.deps.tokens.revokeAll();
    if (this.running) this.retiredKeyCutoff = Math.floor(Date.now() / 1000);
    this.deps.onChange();
    return this.status();
  }

  /** The secrets file's passphrase protection as this process sees it. */
  secretsLock(): Promise<SecretsLock> {
    return secretsLockState(this.#storedPath());
  }

  /**
   * Unlocks the protected secrets file; the API then restarts normally. Resolves once the file is unlocked: the
   * restart is queued right behind (settled() waits for it) but not awaited here, because POST /system/hsm
   * arrives on the very listener that restart replaces, and a listener waits for its requests before it closes.
   */
  unlockSecrets(passphrase: string): Promise<SecretsLock> {
    return this.#serial(async () => {
      const lock = await this.#logged('unlock', () => unlockSecretsFile(this.#storedPath(), passphrase));
      if (this.#servesApi) this.#restartInBackground();
      this.deps.onChange();
      return lock;
    });
  }

  /** Encrypts the secrets file with a new passphrase; it stays unlocked in this process, so nothing restarts. */
  protectSecrets(passphrase: string): Promise<SecretsLock> {
    return this.#serial(async () => {
      const lock = await this.#logged('protect', () => protectSecretsFile(this.#storedPath(), passphrase));
      this.deps.onChange();
      return lock;
    });
  }

  /** Writes the secrets file in clear again (the passphrase confirms it); a locked API restarts normally. */
  unprotectSecrets(passphrase: string): Promise<SecretsLock> {
    return this.#serial(async () => {
      const path = this.#storedPath();
      const wasLocked = (await secretsLockState(path)).locked;
      const lock = await this.#logged('unprotect', () => unprotectSecretsFile(path, passphrase));
      if (this.#servesApi && wasLocked) this.#restartInBackground();
      this.deps.onChange();
      return lock;
    });
  }

  #storedPath(): string {
    return this.deps.settings.get().api.secretsFilePath;
  }

  /** One log line per attempt, never with the passphrase: wrong passphrases are worth seeing in the log. */
  async #logged(action: 'unlock' | 'protect' | 'unprotect', step: () => Promise<SecretsLock>): Promise<SecretsLock> {
    try {
      const lock = await step();
      this.deps.logger.info({ action }, 'secrets file passphrase protection changed');
      return lock;
    } catch (error) {
      const reason = error instanceof SecretsLockError ? error.reason : 'refused';
      this.deps.logger.warn({ action, reason }, 'secrets file passphrase request refused');
      throw error;
    }
  }

  /** Queues a restart behind the current lifecycle step; its outcome shows in the banner, its failure in the log. */
  #restartInBackground(): void {
    this.restart().catch((error: unknown) => {
      this.deps.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'API restart after unlocking failed');
    });
  }
}
