import { useState } from 'react';
import { LogOutIcon } from '../../components/icons';
import { useSession, useStores } from '../../store/context';
import { currentUser, roleLabel } from '../../store/session/selectors';

/** Who is logged in (the name truncates on small screens) and Log out. Change password lives in Settings → Account. */
export function UserMenu() {
  const { session } = useStores();
  const user = useSession(currentUser);
  const [loggingOut, setLoggingOut] = useState(false);

  async function logout() {
    setLoggingOut(true);
    await session.getState().logout();
    setLoggingOut(false);
  }

  return (
    <div className="topbar__account">
      {user && (
        <span className="topbar__user" title={`${user.name} (${roleLabel(user.role)})`}>
          <span className="topbar__name">{user.name}</span>
          <span className="topbar__role">{roleLabel(user.role)}</span>
        </span>
      )}
      <button
        type="button"
        className="button button--quiet topbar__logout"
        title="Log out"
        onClick={() => void logout()}
        disabled={loggingOut}
      >
        <LogOutIcon />
        <span className="topbar__logout-label">Log out</span>
      </button>
    </div>
  );
}
