/**
 * What the privacyIDEA-style /system dialect needs from the rest of the core (reference: privacyidea-system-api.md).
 * The dialect owns the wire (envelope, auth, where parameters come from, error shapes); everything it calls here
 * is camera-server behaviour, implemented in electron/system-config/, electron/secrets/ and electron/notifications/,
 * and composed by the core (campanel-core.ts).
 *
 * Parameters arrive already merged from query, form and JSON (§1.4) and normalised to strings the way
 * privacyIDEA's str() does (true → "True", 10 → "10"; null stays null).
 */
import type { NodeInfo } from '../../../shared/domain.js';

export type SystemRole = 'admin' | 'user';
export type SystemParams = Record<string, string | null>;
export type WriteOutcome = 'insert' | 'update';

/**
 * A refusal privacyIDEA would raise as a PrivacyIDEAError: HTTP 400, `error.code` = id, message `ERR<id>: <message>`.
 * Ids in use: 905 missing/bad parameter, 77 setDefault usage, 707 security module (secrets locked, wrong passphrase).
 */
export class SystemError extends Error {
  constructor(
    readonly id: number,
    message: string,
  ) {
    super(message);
    this.name = 'SystemError';
  }
}

/** privacyIDEA's texts for the security module (decision 8). */
export const HSM_TEXTS = {
  notReady: 'hsm not ready!',
  alreadySetUp: 'HSM already set up.',
  wrongPassword: 'Error decrypting the encryption key. You probably provided the wrong password.',
} as const;

export const missingParameter = (name: string): SystemError => new SystemError(905, `Missing parameter: ${name}`);

/** Who is acting (the token's user), for the audit line the operation writes. */
export interface SystemActor {
  user: string;
  role: SystemRole;
  /** The client's address, as the audit line shows it. */
  address: string;
}

export interface GpgKey {
  armor: string;
  fingerprint: string;
}

export interface CaConnector {
  connectorname: string;
  type: string;
  data: Record<string, never>;
  templates: Record<string, unknown>;
}

export interface SystemApi {
  /** §3.1: every entry visible to `role` as key → value (admins: password values decrypted; __timestamp__; default-true keys). */
  readConfig(role: SystemRole): Promise<Record<string, string | null>>;
  /** §3.1: one value, null when missing or not visible. */
  readConfigKey(key: string, role: SystemRole): Promise<string | null>;
  /** §3.2 with decisions 3, 5, 13: all of the request is written or nothing is. */
  setConfig(params: SystemParams, actor: SystemActor): Promise<Record<string, WriteOutcome>>;
  /** §3.3 with decision 4: validated, live, atomic. */
  setDefault(params: SystemParams, actor: SystemActor): Promise<Record<string, WriteOutcome>>;
  /** §3.4: true when an entry was deleted. */
  deleteConfig(key: string, actor: SystemActor): Promise<boolean>;
  /** §3.5 with decision 7: documentation.rst, every secret censored or absent. */
  documentation(actor: SystemActor): Promise<string>;
  /** §3.9 with decision 10: this installation first, then the nodes an admin registered. */
  nodes(): Promise<NodeInfo[]>;
  /** §3.7: false while a passphrase-protected secrets file has not been unlocked since start. */
  hsmReady(): boolean;
  /**
   * §3.7: unlock the secrets file with its passphrase; the API then starts normally. SystemError 707
   * alreadySetUp when there is nothing to unlock, wrongPassword for a wrong one.
   */
  hsmUnlock(password: string, actor: SystemActor): Promise<void>;
  /** §3.8 for `email`: sends a real mail; email.* params, or the stored notification settings when none is given. */
  testEmail(params: SystemParams, actor: SystemActor): Promise<{ ok: boolean; message: string }>;
  /** §3.10: keys with a secret part in the configured GnuPG home; {} when it does not exist. */
  gpgKeys(): Promise<Record<string, GpgKey>>;
  /** §3.11: empty until RADIUS login exists. */
  radiusNames(): Promise<string[]>;
  /** §3.11: empty until HTTPS certificates from a CA exist. */
  caConnectors(): Promise<CaConnector[]>;
}
