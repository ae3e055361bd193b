import type { ApiStatusView, Banner, SecretsFileOutcome, TokenRecord } from '../../../../shared/domain';
import { SECRETS_LOCKED } from '../../../../shared/api-status';

/** The API tab exists while the API is allowed or still running (the banner is null otherwise). */
export const apiTabVisible = (status: ApiStatusView | null): boolean => status?.banner != null;

/** A text label beside the colour, so the state never depends on colour alone. */
export function bannerLabel(colour: Banner['colour']): string {
  switch (colour) {
    case 'red':
      return 'Not active';
    case 'yellow':
      return 'Restart needed';
    case 'green':
      return 'Active';
  }
}

/** Whether "Restart API" was asked for (Submit stores; it never restarts). */
export const restartPending = (status: ApiStatusView | null): boolean => status?.banner?.restartButton ?? false;

export const SAVED_MESSAGE = 'Settings stored.';
export const RESTART_TO_APPLY = 'Restart the API to apply them.';
export const INACTIVE_WITHOUT_PATH = 'Without a JWT Secret Key File Path the API is not active.';
export const INACTIVE_SEE_STATUS = 'The API is not active: see the status above.';

/** A message's tone and words; the same tones as the panel's notices. */
export interface StatusMessage {
  tone: 'success' | 'info' | 'warning';
  text: string;
}

/** What Submit did with the secrets file, with its absolute path (`~` expanded). */
export function secretsFileSentence(file: SecretsFileOutcome | null): string | null {
  if (!file) return null;
  switch (file.outcome) {
    case 'created':
      return `Created ${file.resolvedPath} with a new JWT key (folder 0700, file 0600).`;
    case 'keyAdded':
      return `Wrote a new JWT key to ${file.resolvedPath}.`;
    case 'existing':
      return `Using the JWT key in ${file.resolvedPath}.`;
  }
}

/**
 * The message after Submit, agreeing with the banner beside it: green only when the API is active as
 * stored, a restart asked for when the banner asks for one, a warning while the banner is red.
 */
export function savedMessage(status: ApiStatusView | null, file: SecretsFileOutcome | null): StatusMessage {
  const words = (...more: string[]) => [SAVED_MESSAGE, secretsFileSentence(file), ...more].filter(Boolean).join(' ');
  const banner = status?.banner;
  if (banner?.restartButton) return { tone: 'info', text: words(RESTART_TO_APPLY) };
  if (banner?.colour === 'red') return { tone: 'warning', text: words(file ? INACTIVE_SEE_STATUS : INACTIVE_WITHOUT_PATH) };
  return { tone: 'success', text: words() };
}

/** Restart stops the API while access is not allowed; otherwise it starts it from the stored settings. */
export interface GeneralApiNotice extends StatusMessage {
  /** Show "Restart API" beside the message. */
  restart: boolean;
}

/**
 * The General tab's message after "Allow access through API" was changed, from the live API status, so it
 * stays true after a restart from any tab: unticking does not stop a running API until it is restarted.
 */
export function generalApiNotice(allowApi: boolean, status: ApiStatusView | null): GeneralApiNotice {
  if (!allowApi) {
    return status?.running
      ? { tone: 'warning', text: 'Saved. API access is not allowed, but the API is still running until you restart it.', restart: true }
      : { tone: 'success', text: 'Saved. API access is not allowed; the API is not running.', restart: false };
  }
  if (status?.running) return { tone: 'success', text: 'Saved. API access is allowed; the API is running.', restart: false };
  if (status?.banner?.restartButton && status.banner.colour === 'yellow') {
    return { tone: 'info', text: 'Saved. API access is allowed: restart the API to start it.', restart: true };
  }
  return { tone: 'info', text: 'Saved. API access is allowed: configure it on the API tab.', restart: false };
}

/** Why "Rotate JWT key" is disabled, or null. */
export function rotateBlockedReason(status: ApiStatusView | null): string | null {
  if (status?.keyPresent) return null;
  if (status?.banner?.newKeyButton) return 'The secrets file has no usable key: choose in the status above.';
  if (status?.banner?.message.startsWith(SECRETS_LOCKED)) return 'The secrets file is locked: unlock it above first.';
  return 'No JWT key exists yet.';
}

export function generateBlockedReason(status: ApiStatusView | null): string | null {
  if (!status) return 'Loading API status…';
  return status.generateDisabledReason;
}

/** Newest first. */
export function tokensNewestFirst(tokens: readonly TokenRecord[]): TokenRecord[] {
  return [...tokens].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** "2025-02-07 20:30" in local time; "Never" for null; the raw text if it is not a date. */
export function formatTimestamp(iso: string | null): string {
  if (iso === null) return 'Never';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
