import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../../../shared/domain';
import { checkApiForm, parseNumberField, toFormValues } from './api-form';

const valid = toFormValues(DEFAULT_SETTINGS.api);

describe('API settings form', () => {
  it('round-trips the stored settings', () => {
    expect(checkApiForm(valid)).toEqual({ ok: true, settings: DEFAULT_SETTINGS.api });
  });

  it('accepts 0 (no expiration) and the maximum, trims the path', () => {
    const result = checkApiForm({ ...valid, secretsFilePath: '  ~/.secrets/campanel.secrets ', accessTokenMinutes: '0', refreshTokenDays: '999999' });
    expect(result).toEqual({
      ok: true,
      settings: { ...DEFAULT_SETTINGS.api, secretsFilePath: '~/.secrets/campanel.secrets', accessTokenMinutes: 0, refreshTokenDays: 999999 },
    });
  });

  it('gives each bad field its own message, with the contract wording', () => {
    const result = checkApiForm({ ...valid, accessTokenMinutes: '-1', refreshTokenDays: '1000000', host: 'bad host!', port: '0' });
    expect(result).toEqual({
      ok: false,
      fields: {
        accessTokenMinutes: 'Must be 0 or more',
        refreshTokenDays: 'Must be at most 999999',
        host: 'Enter an IP address or host name',
        port: 'Port must be 1 to 65535',
      },
    });
  });

  it('treats blank and fractional numbers as not whole numbers (never as 0)', () => {
    expect(parseNumberField('')).toBeNaN();
    expect(parseNumberField(' 12 ')).toBe(12);
    expect(parseNumberField('1e3')).toBeNaN();
    const result = checkApiForm({ ...valid, accessTokenMinutes: '', refreshTokenDays: '1.5', port: '' });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.fields.accessTokenMinutes).toBe('Enter a whole number');
      expect(result.fields.refreshTokenDays).toBe('Enter a whole number');
      expect(result.fields.port).toBeTruthy();
    }
  });
});
