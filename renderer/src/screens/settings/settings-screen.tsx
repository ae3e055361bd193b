import { useEffect } from 'react';
import { Notice } from '../../components/notice';
import { Tabs } from '../../components/tabs';
import { useApi, useSession, useSettings, useStores } from '../../store/context';
import { apiTabVisible } from '../../store/api/selectors';
import { isAdmin } from '../../store/session/selectors';
import { warningNotice } from '../../store/settings/selectors';
import { AccountTab } from './account-tab';
import { ApiTab } from './api-tab';
import { CameraTab } from './camera/camera-tab';
import { GeneralTab } from './general-tab';
import { NotificationsTab } from './notifications/notifications-tab';
import { settingsTabs, shownTab, type SettingsTabId } from './settings-tabs';
import { SystemTab } from './system/system-tab';
import { UsersTab } from './users-tab';

export function SettingsScreen({ tab, onTabChange }: { tab: SettingsTabId; onTabChange(tab: SettingsTabId): void }) {
  const stores = useStores();
  const admin = useSession(isAdmin);
  const apiVisible = useApi((s) => apiTabVisible(s.status));
  // Select the stored view itself: a selector that builds a new object would re-render forever.
  const notice = warningNotice(useSettings((s) => s.view));
  const loadError = useSettings((s) => s.loadError);

  useEffect(() => {
    void stores.settings.getState().refresh();
    void stores.api.getState().refreshStatus();
  }, [stores]);

  const tabs = settingsTabs({ admin, apiVisible });
  const selected = shownTab(tab, tabs);

  return (
    <div className="settings">
      <h1 className="settings__title">Settings</h1>
      {admin && notice && (
        <Notice tone="warning">
          <p>Some settings could not be read and were reset to defaults:</p>
          <ul className="notice__list">
            {notice.fields.map((field) => (
              <li key={field}>{field}</li>
            ))}
          </ul>
          {notice.backupPath && (
            <p>
              The original file was kept as <code>{notice.backupPath}</code>
            </p>
          )}
        </Notice>
      )}
      {loadError && <Notice tone="error">{loadError.message}</Notice>}
      {!admin && <p className="section__note">Only administrators can change settings; you can change your own password here.</p>}
      <Tabs label="Settings" tabs={tabs} selected={selected} onSelect={onTabChange}>
        {selected === 'general' && <GeneralTab />}
        {selected === 'camera' && <CameraTab />}
        {selected === 'api' && <ApiTab />}
        {selected === 'users' && <UsersTab />}
        {selected === 'system' && <SystemTab />}
        {selected === 'notifications' && <NotificationsTab />}
        {selected === 'account' && <AccountTab />}
      </Tabs>
    </div>
  );
}
