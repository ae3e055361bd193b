/**
 * The Settings → API status banner as a pure function of
 * (stored settings, running snapshot, secrets check). The seed's three states
 * ("enabled but not active", "configuration completed but not yet active", "active")
 * are the red NOT_ACTIVE, yellow "activate" and green outputs.
 */
import type { ApiSettings, Banner } from './domain.js';

export const MSG_NOT_ACTIVE = 'API not active. Please specify JWT authentication settings';
export const MSG_ACTIVATE = 'To activate the API, restart the API';
export const MSG_DEACTIVATE = 'To deactivate the API, restart the API';
export const MSG_ACTIVE = 'API is active';
/** Added to a secrets problem while a listener runs: it keeps the key it read when it started. */
export const MSG_STILL_RUNNING = 'The running API keeps using the key it read when it started';
/** Added to "Secrets locked: …" while no API runs: unlocking is all it takes (a restart cannot help). */
/** How every locked-secrets message begins (the API tab recognises the state by it). */
export const SECRETS_LOCKED = 'Secrets locked';
export const MSG_LOCKED_INACTIVE = 'The API stays inactive until then';

/**
 * Result of checking the stored secrets file path. `keyId` is a non-secret fingerprint of the key.
 * `missing`: the configured file (or its key) is gone; mended by pointing at the right file or by
 * creating a new key on request, never by generating one silently. `locked`: the file is protected with a
 * passphrase and not unlocked since start; its message starts with "Secrets locked" and says where to unlock.
 * `error`: anything else.
 */
export type SecretsCheck =
  | { state: 'none' }
  | { state: 'ok'; keyId: string }
  | { state: 'missing'; message: string }
  | { state: 'locked'; message: string }
  | { state: 'error'; message: string };

export interface RunningApi {
  settings: ApiSettings;
  keyId: string;
  urls: string[];
}

export interface ApiStatusInput {
  allowApi: boolean;
  stored: ApiSettings;
  secrets: SecretsCheck;
  running: RunningApi | null;
  /** Why the last (re)start failed, e.g. a port in use; cleared by a successful start. */
  startError: string | null;
}

const banner = (colour: Banner['colour'], message: string, restartButton: boolean, urls: string[] = []): Banner => ({
  colour,
  message,
  restartButton,
  newKeyButton: false,
  urls,
});

/** What differs between the stored settings and the running API, in the banner's words. */
export function pendingChanges(input: ApiStatusInput): string[] {
  const { running, stored, secrets } = input;
  if (!running) return [];
  const parts: string[] = [];
  const r = running.settings;
  if (r.accessTokenMinutes !== stored.accessTokenMinutes || r.refreshTokenDays !== stored.refreshTokenDays) {
    parts.push('token expiration');
  }
  if (r.secretsFilePath !== stored.secretsFilePath) parts.push('the JWT Secret Key File Path');
  else if (secrets.state === 'ok' && secrets.keyId !== running.keyId) parts.push('the JWT key');
  if (r.host !== stored.host || r.port !== stored.port) parts.push('the API address');
  return parts;
}

function joinWords(parts: string[]): string {
  if (parts.length <= 1) return parts.join('');
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

/**
 * A restart that failed while an older listener kept running must still be reported (a port in use is never
 * swallowed), so it is added to the "restart the API" banners shown while running.
 */
function withStartError(message: string, startError: string | null): string {
  return startError ? `${message}. The last restart failed: ${startError}` : message;
}

/** null means the API tab is hidden. */
export function apiBanner(input: ApiStatusInput): Banner | null {
  const { allowApi, stored, secrets, running, startError } = input;
  const pathSet = stored.secretsFilePath.trim() !== '';

  if (!allowApi && !running) return null;
  if (running && (!allowApi || !pathSet)) return banner('yellow', withStartError(MSG_DEACTIVATE, startError), true);
  if (!pathSet) return banner('red', MSG_NOT_ACTIVE, false);
  if (secrets.state === 'error') return banner('red', secrets.message, false);
  // Neither a restart nor a new key helps (a new key would be refused too): only the passphrase does.
  if (secrets.state === 'locked') return banner('red', `${secrets.message}. ${running ? MSG_STILL_RUNNING : MSG_LOCKED_INACTIVE}`, false);
  if (secrets.state === 'missing') {
    // A restart cannot help (it never creates a key): the choices are the right file or a new key.
    const message = running ? `${secrets.message}. ${MSG_STILL_RUNNING}` : secrets.message;
    return { ...banner('red', message, false), newKeyButton: true };
  }
  if (!running) {
    // 'none' with a path set means "not checked"; while stopped that is "not configured" too.
    if (secrets.state === 'none') return banner('red', MSG_NOT_ACTIVE, false);
    if (startError) return banner('red', `API could not start: ${startError}`, true);
    return banner('yellow', MSG_ACTIVATE, true);
  }
  // Running and no key check (secrets 'none'): compare what can be compared rather than claim "not active".
  const parts = pendingChanges(input);
  if (parts.length > 0) return banner('yellow', withStartError(`To update ${joinWords(parts)}, restart the API`, startError), true);
  return banner('green', MSG_ACTIVE, false, running.urls);
}
