import { AuthLayout } from './auth-layout';

/** The panel session cookie is missing: only the token URL printed by `campanel serve` can create one. */
export function LinkExpiredScreen() {
  return (
    <AuthLayout title="Panel link expired">
      <p role="alert" className="auth__message">
        This panel link has expired or is invalid. Open the Panel URL printed by <code>campanel serve</code>.
      </p>
    </AuthLayout>
  );
}
