import { ChangePasswordForm } from '../../components/change-password-form';
import { useSession } from '../../store/context';
import { currentUser, roleLabel } from '../../store/session/selectors';

export function AccountTab() {
  const user = useSession(currentUser);
  return (
    <section className="section" aria-labelledby="account-heading">
      <h2 id="account-heading" className="section__title">
        Change password
      </h2>
      {user && (
        <p className="section__intro">
          Logged in as <strong>{user.name}</strong> ({roleLabel(user.role)}).
        </p>
      )}
      <ChangePasswordForm idPrefix="account" />
    </section>
  );
}
