import { useState } from 'react';
import { useSession, useStores } from '../store/context';
import { currentUser, roleLabel } from '../store/session/selectors';
import { SettingsScreen } from './settings/settings-screen';
import type { SettingsTabId } from './settings/settings-tabs';

/** Top bar (who is logged in, Change password, Log out) and the Settings screen. */
export function AppShell() {
  const { session } = useStores();
  const user = useSession(currentUser);
  const [tab, setTab] = useState<SettingsTabId>('general');
  const [loggingOut, setLoggingOut] = useState(false);

  async function logout() {
    setLoggingOut(true);
    await session.getState().logout();
    setLoggingOut(false);
  }

  return (
    <div className="shell">
      <header className="topbar">
        <div className="topbar__inner">
          <span className="topbar__brand">CamPanel</span>
          {user && (
            <span className="topbar__user">
              <span className="topbar__name">{user.name}</span>
              <span className="topbar__role">{roleLabel(user.role)}</span>
            </span>
          )}
          <nav className="topbar__actions" aria-label="Account">
            <button type="button" className="button button--quiet" onClick={() => setTab('account')}>
              Change password
            </button>
            <button type="button" className="button button--quiet" onClick={() => void logout()} disabled={loggingOut}>
              Log out
            </button>
          </nav>
        </div>
      </header>
      <main className="content">
        <SettingsScreen tab={tab} onTabChange={setTab} />
      </main>
    </div>
  );
}
