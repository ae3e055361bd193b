import { useState, type FormEvent } from 'react';
import { Field } from '../components/field';
import { FormFooter, NewPasswordFields } from '../components/form-parts';
import type { FormMessage } from '../components/notice';
import { formErrorText, hasErrors, type FieldErrors } from '../forms/field-errors';
import { newPasswordErrors, userNameError } from '../forms/password-rules';
import { focusField, refusalPlan } from '../forms/refusal';
import { useStores } from '../store/context';
import { AuthLayout } from './auth-layout';

type FirstRunField = 'name' | 'password' | 'repeat';
const FIELD_IDS: Record<FirstRunField, string> = { name: 'first-name', password: 'first-password', repeat: 'first-repeat' };

/** No user exists yet: the first account becomes the administrator. */
export function FirstRunScreen() {
  const { session } = useStores();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<FormMessage | null>(null);
  const [busy, setBusy] = useState(false);

  /** Keep what was right: empty only the wrong password fields, and focus the first wrong field. */
  function refuse(fields: FieldErrors) {
    setErrors(fields);
    const plan = refusalPlan<FirstRunField>(fields, ['name', 'password', 'repeat'], ['password', 'repeat'], { repeat: 'password' });
    if (plan.clear.includes('password')) setPassword('');
    if (plan.clear.includes('repeat')) setRepeat('');
    if (plan.focus) focusField(FIELD_IDS[plan.focus]);
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setMessage(null);
    const local = newPasswordErrors(password, repeat);
    const nameError = userNameError(name);
    if (nameError) local.name = nameError;
    if (hasErrors(local)) return refuse(local);
    setErrors({});
    setBusy(true);
    const result = await session.getState().createAdmin(name, password);
    setBusy(false);
    if (result.ok) {
      setPassword('');
      setRepeat('');
    } else {
      refuse(result.error.fields ?? {});
      setMessage({ tone: 'error', text: formErrorText(result.error) });
    }
  }

  return (
    <AuthLayout
      title="Create administrator"
      intro={<p>No user exists yet. The account you create now administers CamPanel: it manages users and the API.</p>}
    >
      <form className="form" onSubmit={submit} noValidate>
        <Field id="first-name" label="Name" autoComplete="username" value={name} onValueChange={setName} error={errors.name} />
        <NewPasswordFields
          idPrefix="first"
          labels={{ password: 'Password', repeat: 'Repeat password' }}
          password={password}
          repeat={repeat}
          onPassword={setPassword}
          onRepeat={setRepeat}
          errors={errors}
        />
        <FormFooter message={message} busy={busy} submitLabel="Create administrator" />
      </form>
    </AuthLayout>
  );
}
