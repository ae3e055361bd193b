import { ChangePasswordForm } from '../components/change-password-form';
import { useSession, useStores } from '../store/context';
import { AuthLayout } from './auth-layout';

/** An administrator created or reset this account: the user must choose their own password first. */
export function SetPasswordScreen() {
  const { session } = useStores();
  const name = useSession((s) => s.session?.user?.name ?? '');
  return (
    <AuthLayout
      title="Set your password"
      intro={
        <p>
          An administrator created or reset the account <strong>{name}</strong>. Enter the password you were given, then
          choose your own. You can use CamPanel (and get API tokens) once it is set.
        </p>
      }
    >
      <ChangePasswordForm idPrefix="initial" />
      <div className="auth__footer">
        <button type="button" className="button button--link" onClick={() => void session.getState().logout()}>
          Log out
        </button>
      </div>
    </AuthLayout>
  );
}
