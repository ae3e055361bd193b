/**
 * What the raspiCamSrv-compatible API needs from the rest of the core. Injected, so that tests and the
 * benchmark can build the API from real services in a temporary data directory, and so that
 * "Restart API" can build a new listener from a new key (a new JwtService) without touching anything else.
 */
import type { Logger } from 'pino';
import type { JwtService } from '../jwt/jwt-service.js';
import type { CameraService } from '../pipeline/camera-service.js';
import type { TokenRegistry } from '../tokens/token-registry.js';
import type { LoginFailure } from '../users/login-failure-log.js';
import type { LoginAttempt } from '../users/login-limiter.js';
import type { SystemApi } from './privacyidea/system-api.js';

export interface ApiUser {
  name: string;
  role: 'admin' | 'user';
  /** Still has the password an admin set: must change it in the panel before using the API. */
  initial: boolean;
}

/** The part of UserStore the API uses (electron/users/user-store.ts satisfies it as is). */
export interface ApiUserDirectory {
  /** The user for these credentials or null; unknown names must cost the same time as wrong passwords. */
  verifyPassword(name: string, password: string): Promise<ApiUser | null>;
  /** Looked up on every authenticated request: O(1)/in-memory, no I/O. */
  get(name: string): ApiUser | null;
  /**
   * Login tokens of `name` issued in or before the second of this instant (ms) are refused: it moves on
   * creation, password change and reset (docs/compatibility.md §2.4 #20). null: valid from the beginning.
   * Looked up on every authenticated request, like get().
   */
  tokensValidFrom(name: string): number | null;
}

/** Revocation as the API sees it: the registry's revoked jtis, plus whatever the listener adds (key rotation). */
export interface ApiTokenRegistry extends Pick<TokenRegistry, 'markUsed' | 'isGenerated'> {
  isRevoked(jti: string, iat: number): boolean;
}

/**
 * The network login limiter (electron/users/network-login-limiter.ts): never the panel's, so that failures
 * on the network cannot lock the panel login (docs/compatibility.md §2.1).
 */
export interface ApiLoginLimiter {
  attempt<T>(user: string, address: string, verify: () => Promise<T | null>): Promise<LoginAttempt<T>>;
}

/** Where failed network logins are reported (electron/users/login-failure-log.ts budgets the log lines). */
export interface ApiLoginFailures {
  record(failure: LoginFailure): void;
}

export interface ApiDeps {
  jwt: JwtService;
  tokens: ApiTokenRegistry;
  limiter: ApiLoginLimiter;
  users: ApiUserDirectory;
  /** The running lifetime; 0 means /api/login answers without a refresh token (docs/compatibility.md §1). */
  accessTokenMinutes: number;
  /** Receives unexpected errors only; requests are never logged (and never with their headers). */
  logger?: Logger;
  /** Failed logins (name, address, reason; never a password), budgeted; absent: not reported. */
  loginFailures?: ApiLoginFailures;
  /** The cameras; without it (auth-only tests, the API benchmark) camera endpoints answer that none is configured. */
  camera?: CameraService;
  /** "Require authentication for streaming", read per request so a change applies without a restart. */
  streamAuthRequired?: () => boolean;
  /** Name and version for /api/info. */
  version?: string;
  /** The privacyIDEA-style /system endpoints; without it (raspiCamSrv-only tests, the API benchmark) /system is not served. */
  system?: SystemApi;
  /**
   * True while a passphrase-protected secrets file is locked: the listener then runs with a throwaway key,
   * /api answers that the secrets are locked, and /system serves only GET and POST /system/hsm (decision 8).
   */
  secretsLocked?: () => boolean;
}
