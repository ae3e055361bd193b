import { describe, expect, it } from 'vitest';
import { settingsTabs, shownTab } from './settings-tabs';

const ids = (admin: boolean, apiVisible: boolean) => settingsTabs({ admin, apiVisible }).map((t) => t.label);

describe('settings tabs', () => {
  it('shows API only to admins while the API is allowed or running, Users only to admins', () => {
    expect(ids(true, true)).toEqual(['General', 'API', 'Users', 'Account']);
    expect(ids(true, false)).toEqual(['General', 'Users', 'Account']);
    expect(ids(false, true)).toEqual(['General', 'Account']);
  });

  it('falls back to General when the selected tab disappears', () => {
    const tabs = settingsTabs({ admin: true, apiVisible: false });
    expect(shownTab('api', tabs)).toBe('general');
    expect(shownTab('users', tabs)).toBe('users');
  });
});
