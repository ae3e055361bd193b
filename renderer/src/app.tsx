import { useEffect } from 'react';
import { AppShell } from './screens/app-shell';
import { FirstRunScreen } from './screens/first-run';
import { LinkExpiredScreen } from './screens/link-expired';
import { LoginScreen } from './screens/login';
import { SetPasswordScreen } from './screens/set-password';
import { ConnectionBanner } from './screens/shell/connection-banner';
import { AuthLayout } from './screens/auth-layout';
import { useSession, useStores } from './store/context';
import { gateScreen, type GateScreen as GateScreenId } from './store/session/selectors';
import { connectEvents } from './store/stores';

/** The session gate (which full-page screen, from `sessionState()`) under the connection banner. */
export function App() {
  const stores = useStores();
  const screen = useSession(gateScreen);
  const loadError = useSession((s) => s.loadError);

  useEffect(() => {
    void stores.session.getState().refresh();
    return connectEvents(stores);
  }, [stores]);

  return (
    <>
      <ConnectionBanner />
      <GateScreen screen={screen} loadError={loadError?.message ?? null} onRetry={() => void stores.session.getState().refresh()} />
    </>
  );
}

function GateScreen({ screen, loadError, onRetry }: { screen: GateScreenId; loadError: string | null; onRetry(): void }) {
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
            {loadError ?? 'The CamPanel server cannot be reached'}
          </p>
          <div className="form__actions">
            <button type="button" className="button button--primary" onClick={onRetry}>
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
