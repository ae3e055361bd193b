import { useState, type FormEvent } from 'react';
import { formErrorText, hasErrors, type FieldErrors } from '../forms/field-errors';
import { newPasswordErrors } from '../forms/password-rules';
import { useStores } from '../store/context';
import { Field } from './field';
import { FormFooter, NewPasswordFields } from './form-parts';
import type { FormMessage } from './notice';

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
      <NewPasswordFields
        idPrefix={`${idPrefix}-new`}
        labels={{ password: 'New password', repeat: 'Repeat new password' }}
        password={next}
        repeat={repeat}
        onPassword={setNext}
        onRepeat={setRepeat}
        errors={{ password: errors.newPassword, repeat: errors.repeat }}
      />
      <FormFooter message={message} busy={busy} submitLabel="Set password" />
    </form>
  );
}
