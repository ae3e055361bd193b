import { describe, expect, it } from 'vitest';
import { DEFAULT_NOTIFICATION_SETTINGS, type NotificationView } from '../../../../shared/domain';
import { portAfterTlsChange, testBlockedReason } from './selectors';

const view = (settings: Partial<NotificationView['settings']>): NotificationView => ({
  settings: { ...DEFAULT_NOTIFICATION_SETTINGS, ...settings },
  passwordSet: false,
  passwordUnavailable: null,
  importedFromSecrets: false,
});

describe('notification selectors', () => {
  it('moves a usual or blank port with the TLS mode, and keeps a chosen one', () => {
    expect(portAfterTlsChange('587', 'starttls', 'tls')).toBe('465');
    expect(portAfterTlsChange('465', 'tls', 'none')).toBe('25');
    expect(portAfterTlsChange(' 25 ', 'none', 'starttls')).toBe('587');
    expect(portAfterTlsChange('', 'tls', 'starttls')).toBe('587');
    expect(portAfterTlsChange('2525', 'starttls', 'tls')).toBe('2525');
    // 465 is TLS's port, not STARTTLS's: it was chosen on purpose.
    expect(portAfterTlsChange('465', 'starttls', 'none')).toBe('465');
  });

  it('offers the test mail once a server and a recipient are stored', () => {
    expect(testBlockedReason(null, false)).toBe('Loading…');
    expect(testBlockedReason(view({}), false)).toMatch(/mail server/);
    expect(testBlockedReason(view({ host: 'smtp.example.org' }), false)).toMatch(/recipient/);
    expect(testBlockedReason(view({ host: 'smtp.example.org', recipient: 'me@example.org' }), false)).toBeNull();
    // While a test runs the button is disabled for that reason alone, not for a stale one.
    expect(testBlockedReason(view({}), true)).toBeNull();
  });
});
