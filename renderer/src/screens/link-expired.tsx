import { AuthLayout } from './auth-layout';

/** The panel session ended (or its cookie is gone): only a single-use panel URL can create a new one. */
export function LinkExpiredScreen() {
  return (
    <AuthLayout title="Panel session ended">
      <p role="alert" className="auth__message">
        This panel session has ended. Get a fresh panel URL on the machine CamPanel runs on with{' '}
        <code>npx campanel panel-url</code> and open it (each URL opens the panel once).
      </p>
    </AuthLayout>
  );
}
