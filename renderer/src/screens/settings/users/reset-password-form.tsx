import { useState, type FormEvent } from 'react';
import type { FormMessage } from '../../../components/notice';
import { useStores } from '../../../store/context';
import { resetMessage } from '../../../store/users/selectors';
import { newPasswordErrors } from '../../../forms/password-rules';

/** Inline in the user's row: a new initial password; the user becomes initial again. */
export function ResetPasswordForm({ name, onDone }: { name: string; onDone(message: FormMessage | null): void }) {
  const { users } = useStores();
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = `reset-${name}`;

  async function submit(event: FormEvent) {
    event.preventDefault();
    const local = newPasswordErrors(password, password);
    if (local.password) {
      setError(local.password);
      setPassword('');
      return;
    }
    setBusy(true);
    const result = await users.getState().resetPassword(name, password);
    setPassword('');
    setBusy(false);
    if (result.ok) onDone({ tone: 'success', text: resetMessage(name) });
    else setError(result.error.fields?.password ?? result.error.message);
  }

  return (
    <form className="inline-form" onSubmit={submit} noValidate>
      <label htmlFor={id} className="field__label">
        New initial password for {name}
      </label>
      <input
        id={id}
        className="field__input"
        type="password"
        autoComplete="new-password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        autoFocus
      />
      {error && (
        <p id={`${id}-error`} className="field__error" role="alert">
          {error}
        </p>
      )}
      <div className="button-row">
        <button type="submit" className="button button--primary button--small" disabled={busy}>
          Set initial password
        </button>
        <button type="button" className="button button--small" onClick={() => onDone(null)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
