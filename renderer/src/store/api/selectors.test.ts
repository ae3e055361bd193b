import { describe, expect, it } from 'vitest';
import type { ApiStatusView } from '../../../../shared/domain';
import {
  SAVED_MESSAGE,
  SAVED_RESTART_MESSAGE,
  apiTabVisible,
  bannerLabel,
  formatTimestamp,
  generateBlockedReason,
  restartPending,
  savedMessage,
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
const yellow = { colour: 'yellow' as const, message: 'To activate the API, restart the API', restartButton: true, urls: [] };
const green = { colour: 'green' as const, message: 'API is active', restartButton: false, urls: ['http://pi:5000/api'] };

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
    expect(savedMessage(status(yellow))).toBe(SAVED_RESTART_MESSAGE);
    expect(SAVED_RESTART_MESSAGE).toBe('Settings stored. Restart the API to apply them.');
    expect(savedMessage(status(green))).toBe(SAVED_MESSAGE);
    expect(savedMessage(null)).toBe(SAVED_MESSAGE);
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
