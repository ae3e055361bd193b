import { useEffect } from 'react';
import { AppShell } from './screens/app-shell';
import { FirstRunScreen } from './screens/first-run';
import { LinkExpiredScreen } from './screens/link-expired';
import { LoginScreen } from './screens/login';
import { SetPasswordScreen } from './screens/set-password';
import { AuthLayout } from './screens/auth-layout';
import { useSession, useStores } from './store/context';
import { gateScreen } from './store/session/selectors';
import { connectEvents } from './store/stores';

/** The session gate: which full-page screen, from `sessionState()`. */
export function App() {
  const stores = useStores();
  const screen = useSession(gateScreen);
  const loadError = useSession((s) => s.loadError);

  useEffect(() => {
    void stores.session.getState().refresh();
    return connectEvents(stores);
  }, [stores]);

  switch (screen) {
    case 'linkExpired':
      return <LinkExpiredScreen />;
    case 'loading':
      return (
        <AuthLayout title="CamPanel">
          <p role="status">Loading…</p>
        </AuthLayout>
      );
    case 'unreachable':
      return (
        <AuthLayout title="CamPanel is not available">
          <p role="alert" className="auth__message">
            {loadError?.message ?? 'The CamPanel server cannot be reached'}
          </p>
          <div className="form__actions">
            <button type="button" className="button button--primary" onClick={() => void stores.session.getState().refresh()}>
              Try again
            </button>
          </div>
        </AuthLayout>
      );
    case 'firstRun':
      return <FirstRunScreen />;
    case 'login':
      return <LoginScreen />;
    case 'changePassword':
      return <SetPasswordScreen />;
    case 'ready':
      return <AppShell />;
  }
}
