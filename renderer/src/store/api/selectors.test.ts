import { describe, expect, it } from 'vitest';
import type { ApiStatusView } from '../../../../shared/domain';
import {
  apiTabVisible,
  bannerLabel,
  formatTimestamp,
  generalApiNotice,
  generateBlockedReason,
  restartPending,
  rotateBlockedReason,
  savedMessage,
  secretsFileSentence,
  tokensNewestFirst,
} from './selectors';

const status = (banner: ApiStatusView['banner'], reason: string | null = null): ApiStatusView => ({
  banner,
  running: false,
  keyPresent: reason === null,
  generateDisabledReason: reason,
  recommendedPath: '~/.secrets/campanel.secrets',
  resolvedSecretsPath: null,
});
const yellow = { colour: 'yellow' as const, message: 'To activate the API, restart the API', restartButton: true, newKeyButton: false, urls: [] };
const green = { colour: 'green' as const, message: 'API is active', restartButton: false, newKeyButton: false, urls: ['http://pi:5000/api'] };
const red = { colour: 'red' as const, message: 'API not active. Please specify JWT authentication settings', restartButton: false, newKeyButton: false, urls: [] };
const missing = { ...red, message: 'secrets file missing: /home/pi/.secrets/campanel.secrets', newKeyButton: true };
const running = (view: ApiStatusView): ApiStatusView => ({ ...view, running: true });
const created = { resolvedPath: '/home/pi/.secrets/campanel.secrets', outcome: 'created' as const };

describe('api selectors', () => {
  it('shows the API tab exactly when there is a banner', () => {
    expect(apiTabVisible(null)).toBe(false);
    expect(apiTabVisible(status(null))).toBe(false);
    expect(apiTabVisible(status(green))).toBe(true);
  });

  it('labels every colour in words', () => {
    expect(bannerLabel('red')).toBe('Not active');
    expect(bannerLabel('yellow')).toBe('Restart needed');
    expect(bannerLabel('green')).toBe('Active');
  });

  it('asks for a restart after Submit only when the banner does', () => {
    expect(restartPending(status(yellow))).toBe(true);
    expect(restartPending(status(green))).toBe(false);
    expect(savedMessage(status(yellow), null)).toEqual({ tone: 'info', text: 'Settings stored. Restart the API to apply them.' });
    expect(savedMessage(status(green), null)).toEqual({ tone: 'success', text: 'Settings stored.' });
  });

  it('agrees with a red banner: never green beside it', () => {
    expect(savedMessage(status(red), null)).toEqual({
      tone: 'warning',
      text: 'Settings stored. Without a JWT Secret Key File Path the API is not active.',
    });
    expect(savedMessage(status({ ...red, message: '/x is a directory, not a file' }), { resolvedPath: '/x', outcome: 'existing' })).toEqual({
      tone: 'warning',
      text: 'Settings stored. Using the JWT key in /x. The API is not active: see the status above.',
    });
  });

  it('says where the secrets file is and whether it was created', () => {
    expect(savedMessage(status(yellow), created).text).toBe(
      'Settings stored. Created /home/pi/.secrets/campanel.secrets with a new JWT key (folder 0700, file 0600). Restart the API to apply them.',
    );
    expect(secretsFileSentence({ resolvedPath: '/k', outcome: 'keyAdded' })).toBe('Wrote a new JWT key to /k.');
    expect(secretsFileSentence(null)).toBeNull();
  });

  it('General tab: unticking says the API still runs until restarted, with the restart beside it', () => {
    const deactivate = { ...yellow, message: 'To deactivate the API, restart the API' };
    expect(generalApiNotice(false, running(status(deactivate)))).toEqual({
      tone: 'warning',
      text: 'Saved. API access is not allowed, but the API is still running until you restart it.',
      restart: true,
    });
    expect(generalApiNotice(false, status(null))).toEqual({ tone: 'success', text: 'Saved. API access is not allowed; the API is not running.', restart: false });
    expect(generalApiNotice(true, status(yellow))).toMatchObject({ text: 'Saved. API access is allowed: restart the API to start it.', restart: true });
    expect(generalApiNotice(true, status(red))).toMatchObject({ text: 'Saved. API access is allowed: configure it on the API tab.', restart: false });
    expect(generalApiNotice(true, running(status(green)))).toMatchObject({ text: 'Saved. API access is allowed; the API is running.', restart: false });
  });

  it('Rotate JWT key: why it is disabled, pointing to the banner when the file is missing', () => {
    expect(rotateBlockedReason(status(green))).toBeNull();
    expect(rotateBlockedReason(status(missing, 'x'))).toBe('The secrets file has no usable key: choose in the status above.');
    expect(rotateBlockedReason(status(red, 'x'))).toBe('No JWT key exists yet.');
  });

  it('gives the reason Generate Access Token is disabled', () => {
    expect(generateBlockedReason(status(green))).toBeNull();
    expect(generateBlockedReason(status(yellow, 'No valid JWT key'))).toBe('No valid JWT key');
    expect(generateBlockedReason(null)).toMatch(/Loading/);
  });

  it('orders tokens newest first without mutating the input', () => {
    const t = (jti: string, createdAt: string) => ({ jti, owner: 'ann', label: '', createdAt, lastUsedAt: null });
    const input = [t('a', '2025-01-01T00:00:00Z'), t('b', '2025-03-01T00:00:00Z')];
    expect(tokensNewestFirst(input).map((x) => x.jti)).toEqual(['b', 'a']);
    expect(input[0]!.jti).toBe('a');
  });

  it('formats timestamps in local time', () => {
    expect(formatTimestamp(null)).toBe('Never');
    expect(formatTimestamp('garbage')).toBe('garbage');
    expect(formatTimestamp(new Date(2025, 1, 7, 20, 30).toISOString())).toBe('2025-02-07 20:30');
  });
});
