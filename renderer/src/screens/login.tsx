import { useState, type FormEvent } from 'react';
import { Field } from '../components/field';
import { FormFooter } from '../components/form-parts';
import type { FormMessage } from '../components/notice';
import { useStores } from '../store/context';
import { AuthLayout } from './auth-layout';

export function LoginScreen() {
  const { session } = useStores();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [message, setMessage] = useState<FormMessage | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setMessage(null);
    if (name.trim() === '' || password === '') {
      setMessage({ tone: 'error', text: 'Enter your name and password.' });
      setPassword('');
      return;
    }
    setBusy(true);
    const result = await session.getState().login(name.trim(), password);
    setPassword('');
    setBusy(false);
    // One message for every failure: the server's words never say which part was wrong.
    if (!result.ok) setMessage({ tone: 'error', text: result.error.message });
  }

  return (
    <AuthLayout title="Log in to CamPanel">
      <form className="form" onSubmit={submit} noValidate>
        <Field id="login-name" label="Name" autoComplete="username" value={name} onValueChange={setName} />
        <Field
          id="login-password"
          label="Password"
          type="password"
          autoComplete="current-password"
          value={password}
          onValueChange={setPassword}
        />
        <FormFooter message={message} busy={busy} submitLabel="Log in" />
      </form>
    </AuthLayout>
  );
}
