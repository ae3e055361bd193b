import { useState, type FormEvent } from 'react';
import type { Role } from '../../../../../shared/domain';
import { Field } from '../../../components/field';
import { FormFooter } from '../../../components/form-parts';
import type { FormMessage } from '../../../components/notice';
import { formErrorText, hasErrors, type FieldErrors } from '../../../forms/field-errors';
import { newPasswordErrors, userNameError } from '../../../forms/password-rules';
import { useStores, useUsers } from '../../../store/context';
import { addedMessage } from '../../../store/users/selectors';

/** "Add user": the new user starts as initial and must set their own password at first login. */
export function AddUserForm() {
  const { users } = useStores();
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('user');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<FormMessage | null>(null);
  /** Whom the success message names: it must not outlive that user (removed meanwhile). */
  const [addedName, setAddedName] = useState<string | null>(null);
  const addedStillExists = useUsers((s) => addedName !== null && s.users.some((user) => user.name === addedName));
  const [busy, setBusy] = useState(false);
  const shown = addedName !== null && !addedStillExists ? null : message;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setMessage(null);
    setAddedName(null);
    const local = newPasswordErrors(password, password);
    const nameError = userNameError(name.trim());
    if (nameError) local.name = nameError;
    setErrors(local);
    if (hasErrors(local)) {
      setPassword('');
      return;
    }
    setBusy(true);
    const added = name.trim();
    const result = await users.getState().addUser(added, role, password);
    setPassword('');
    setBusy(false);
    if (result.ok) {
      setName('');
      setRole('user');
      setMessage({ tone: 'success', text: addedMessage(result.value.name) });
      setAddedName(result.value.name);
    } else {
      setErrors(result.error.fields ?? {});
      setMessage({ tone: 'error', text: formErrorText(result.error) });
    }
  }

  return (
    <section className="section" aria-labelledby="add-user-heading">
      <h2 id="add-user-heading" className="section__title">
        Add user
      </h2>
      <form className="form" onSubmit={submit} noValidate>
        <div className="form__grid">
          <Field id="add-user-name" label="Name" autoComplete="off" value={name} onValueChange={setName} error={errors.name} />
          <div className="field">
            <label className="field__label" htmlFor="add-user-role">
              Role
            </label>
            <select
              id="add-user-role"
              className="field__input"
              value={role}
              onChange={(e) => setRole(e.target.value === 'admin' ? 'admin' : 'user')}
            >
              <option value="user">user</option>
              <option value="admin">admin</option>
            </select>
          </div>
        </div>
        <Field
          id="add-user-password"
          label="Initial password"
          type="password"
          autoComplete="new-password"
          value={password}
          onValueChange={setPassword}
          hint="At least 8 characters. Give it to the user; they replace it at first login."
          error={errors.password}
        />
        <FormFooter message={shown} busy={busy} submitLabel="Add user" />
      </form>
    </section>
  );
}
