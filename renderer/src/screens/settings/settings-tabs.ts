import type { TabDef } from '../../components/tabs';

export type SettingsTabId = 'general' | 'camera' | 'api' | 'users' | 'system' | 'notifications' | 'account';

/**
 * The tabs a user sees. Admins: General, Camera, API (while the API is allowed or running), Users, System,
 * Notifications, Account. Users change nothing but their own password, so they see Account only.
 */
export function settingsTabs({ admin, apiVisible }: { admin: boolean; apiVisible: boolean }): TabDef<SettingsTabId>[] {
  if (!admin) return [{ id: 'account', label: 'Account' }];
  const tabs: TabDef<SettingsTabId>[] = [
    { id: 'general', label: 'General' },
    { id: 'camera', label: 'Camera' },
  ];
  if (apiVisible) tabs.push({ id: 'api', label: 'API' });
  tabs.push(
    { id: 'users', label: 'Users' },
    { id: 'system', label: 'System' },
    { id: 'notifications', label: 'Notifications' },
    { id: 'account', label: 'Account' },
  );
  return tabs;
}

/** A tab that is not offered (API no longer allowed, a user's view) falls back to the first one offered. */
export const shownTab = (selected: SettingsTabId, tabs: readonly TabDef<SettingsTabId>[]): SettingsTabId =>
  tabs.some((t) => t.id === selected) ? selected : (tabs[0]?.id ?? 'account');
