import { useState, type FormEvent } from 'react';
import { formErrorText, hasErrors, type FieldErrors } from '../forms/field-errors';
import { newPasswordErrors } from '../forms/password-rules';
import { useStores } from '../store/context';
import { Field } from './field';
import { MessageLine, type FormMessage } from './notice';

/** Change one's own password. The three passwords live only here and are cleared after every submit. */
export function ChangePasswordForm({ idPrefix, onChanged }: { idPrefix: string; onChanged?(): void }) {
  const { session } = useStores();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<FormMessage | null>(null);
  const [busy, setBusy] = useState(false);

  const clear = () => {
    setCurrent('');
    setNext('');
    setRepeat('');
  };

  async function submit(event: FormEvent) {
    event.preventDefault();
    setMessage(null);
    const local = newPasswordErrors(next, repeat, 'newPassword', 'repeat');
    if (current === '') local.currentPassword = 'Enter your current password';
    setErrors(local);
    if (hasErrors(local)) {
      clear();
      return;
    }
    setBusy(true);
    const result = await session.getState().changePassword(current, next);
    clear();
    setBusy(false);
    if (result.ok) {
      setMessage({ tone: 'success', text: 'Password changed.' });
      onChanged?.();
    } else {
      setErrors(result.error.fields ?? {});
      setMessage({ tone: 'error', text: formErrorText(result.error) });
    }
  }

  return (
    <form className="form" onSubmit={submit} noValidate>
      <Field
        id={`${idPrefix}-current`}
        label="Current password"
        type="password"
        autoComplete="current-password"
        value={current}
        onValueChange={setCurrent}
        error={errors.currentPassword}
      />
      <Field
        id={`${idPrefix}-new`}
        label="New password"
        type="password"
        autoComplete="new-password"
        value={next}
        onValueChange={setNext}
        hint="At least 8 characters."
        error={errors.newPassword}
      />
      <Field
        id={`${idPrefix}-repeat`}
        label="Repeat new password"
        type="password"
        autoComplete="new-password"
        value={repeat}
        onValueChange={setRepeat}
        error={errors.repeat}
      />
      <MessageLine message={message} />
      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={busy}>
          Set password
        </button>
      </div>
    </form>
  );
}
