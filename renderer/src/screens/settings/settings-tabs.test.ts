import { describe, expect, it } from 'vitest';
import { settingsTabs, shownTab } from './settings-tabs';

const labels = (admin: boolean, apiVisible: boolean) => settingsTabs({ admin, apiVisible }).map((t) => t.label);

describe('settings tabs', () => {
  it('shows admins General, Camera, API while the API is allowed or running, Users, System, Notifications and Account', () => {
    expect(labels(true, true)).toEqual(['General', 'Camera', 'API', 'Users', 'System', 'Notifications', 'Account']);
    expect(labels(true, false)).toEqual(['General', 'Camera', 'Users', 'System', 'Notifications', 'Account']);
  });

  it('shows a user Account only, whatever the API does', () => {
    expect(labels(false, true)).toEqual(['Account']);
    expect(labels(false, false)).toEqual(['Account']);
  });

  it('falls back to the first tab offered when the selected one is not', () => {
    const admin = settingsTabs({ admin: true, apiVisible: false });
    expect(shownTab('api', admin)).toBe('general');
    expect(shownTab('users', admin)).toBe('users');
    expect(shownTab('camera', admin)).toBe('camera');
    expect(shownTab('system', admin)).toBe('system');
    expect(shownTab('notifications', admin)).toBe('notifications');
    const user = settingsTabs({ admin: false, apiVisible: true });
    expect(shownTab('general', user)).toBe('account');
    expect(shownTab('camera', user)).toBe('account');
    expect(shownTab('system', user)).toBe('account');
    expect(shownTab('notifications', user)).toBe('account');
  });
});
