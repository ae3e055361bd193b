import type { TabDef } from '../../components/tabs';

export type SettingsTabId = 'general' | 'api' | 'users' | 'account';

/** The tabs a user sees: API while the API is allowed or running (admins), Users for admins. */
export function settingsTabs({ admin, apiVisible }: { admin: boolean; apiVisible: boolean }): TabDef<SettingsTabId>[] {
  const tabs: TabDef<SettingsTabId>[] = [{ id: 'general', label: 'General' }];
  if (admin && apiVisible) tabs.push({ id: 'api', label: 'API' });
  if (admin) tabs.push({ id: 'users', label: 'Users' });
  tabs.push({ id: 'account', label: 'Account' });
  return tabs;
}

/** A tab that disappeared (API no longer allowed) falls back to General. */
export const shownTab = (selected: SettingsTabId, tabs: readonly TabDef<SettingsTabId>[]): SettingsTabId =>
  tabs.some((t) => t.id === selected) ? selected : 'general';
