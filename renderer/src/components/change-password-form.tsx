import { useState, type FormEvent } from 'react';
import { formErrorText, hasErrors, type FieldErrors } from '../forms/field-errors';
import { newPasswordErrors } from '../forms/password-rules';
import { focusField, refusalPlan } from '../forms/refusal';
import { useStores } from '../store/context';
import { Field } from './field';
import { FormFooter, NewPasswordFields } from './form-parts';
import type { FormMessage } from './notice';

type PasswordField = 'currentPassword' | 'newPassword' | 'repeat';
const ORDER: PasswordField[] = ['currentPassword', 'newPassword', 'repeat'];

/**
 * Change one's own password. The three passwords live only here; they are cleared after a change, and after
 * a refusal only the wrong ones are, with the focus on the first wrong field.
 */
export function ChangePasswordForm({ idPrefix, onChanged }: { idPrefix: string; onChanged?(): void }) {
  const { session } = useStores();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<FormMessage | null>(null);
  const [busy, setBusy] = useState(false);

  const ids: Record<PasswordField, string> = {
    currentPassword: `${idPrefix}-current`,
    newPassword: `${idPrefix}-new-password`,
    repeat: `${idPrefix}-new-repeat`,
  };
  const setters: Record<PasswordField, (value: string) => void> = { currentPassword: setCurrent, newPassword: setNext, repeat: setRepeat };

  function refuse(fields: FieldErrors) {
    setErrors(fields);
    const plan = refusalPlan<PasswordField>(fields, ORDER, ORDER, { repeat: 'newPassword' });
    for (const field of plan.clear) setters[field]('');
    if (plan.focus) focusField(ids[plan.focus]);
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setMessage(null);
    const local = newPasswordErrors(next, repeat, 'newPassword', 'repeat');
    if (current === '') local.currentPassword = 'Enter your current password';
    if (hasErrors(local)) return refuse(local);
    setErrors({});
    setBusy(true);
    const result = await session.getState().changePassword(current, next);
    setBusy(false);
    if (result.ok) {
      for (const field of ORDER) setters[field]('');
      setMessage({ tone: 'success', text: 'Password changed.' });
      onChanged?.();
    } else {
      refuse(result.error.fields ?? {});
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
