import { useState, type FormEvent } from 'react';
import { Field } from '../components/field';
import { FormFooter, NewPasswordFields } from '../components/form-parts';
import type { FormMessage } from '../components/notice';
import { formErrorText, hasErrors, type FieldErrors } from '../forms/field-errors';
import { newPasswordErrors, userNameError } from '../forms/password-rules';
import { useStores } from '../store/context';
import { AuthLayout } from './auth-layout';

/** No user exists yet: the first account becomes the administrator. */
export function FirstRunScreen() {
  const { session } = useStores();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<FormMessage | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setMessage(null);
    const local = newPasswordErrors(password, repeat);
    const nameError = userNameError(name);
    if (nameError) local.name = nameError;
    setErrors(local);
    if (hasErrors(local)) {
      setPassword('');
      setRepeat('');
      return;
    }
    setBusy(true);
    const result = await session.getState().createAdmin(name, password);
    setPassword('');
    setRepeat('');
    setBusy(false);
    if (!result.ok) {
      setErrors(result.error.fields ?? {});
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
