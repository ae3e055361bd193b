import { describe, expect, it } from 'vitest';
import { DEFAULT_NOTIFICATION_SETTINGS } from '../../../../../shared/domain';
import { checkNotificationsForm, notificationsDirty, passwordOf, toNotificationValues } from './notifications-form';

const stored = { host: 'smtp.example.org', port: 587, tls: 'starttls' as const, user: 'cam', sender: 'cam@example.org', recipient: 'me@example.org' };
const values = toNotificationValues(stored);
const keep = { mode: 'keep' as const };

describe('notifications form', () => {
  it('round-trips the stored settings without a password', () => {
    expect(checkNotificationsForm(values, keep, null)).toEqual({ ok: true, request: { settings: stored } });
    expect(checkNotificationsForm(toNotificationValues(DEFAULT_NOTIFICATION_SETTINGS), keep, null)).toEqual({
      ok: true,
      request: { settings: DEFAULT_NOTIFICATION_SETTINGS },
    });
  });

  it('sends no password to keep it (blank typed too), an empty one to remove it, the typed one to replace it', () => {
    expect(passwordOf(keep)).toBeUndefined();
    expect(passwordOf({ mode: 'set', value: '' })).toBeUndefined();
    expect(passwordOf({ mode: 'remove' })).toBe('');
    expect(passwordOf({ mode: 'set', value: ' pw ' })).toBe(' pw ');
    expect(checkNotificationsForm(values, { mode: 'remove' }, null)).toEqual({ ok: true, request: { settings: stored, password: '' } });
  });

  it('keys each wrong field by its full path, as the main process does', () => {
    const result = checkNotificationsForm({ ...values, host: 'bad host!', port: '', sender: 'Camera <cam@example.org>' }, keep, null);
    expect(result).toEqual({
      ok: false,
      fields: {
        'settings.host': 'Enter an IP address or host name',
        'settings.port': 'Enter a port number',
        'settings.sender': 'Enter one mail address, such as camera@example.org',
      },
    });
  });

  it('refuses to store or remove a password the secrets file cannot take, and lets the rest through', () => {
    const why = 'No secrets file is configured';
    expect(checkNotificationsForm(values, { mode: 'set', value: 'pw' }, why)).toEqual({ ok: false, fields: { password: why } });
    expect(checkNotificationsForm(values, { mode: 'remove' }, why)).toEqual({ ok: false, fields: { password: why } });
    expect(checkNotificationsForm(values, keep, why).ok).toBe(true);
  });

  it('is dirty when a value or the password choice differs from what is stored', () => {
    expect(notificationsDirty(values, stored, keep)).toBe(false);
    expect(notificationsDirty({ ...values, port: '465' }, stored, keep)).toBe(true);
    expect(notificationsDirty(values, stored, { mode: 'set', value: '' })).toBe(false);
    expect(notificationsDirty(values, stored, { mode: 'remove' })).toBe(true);
  });
});
