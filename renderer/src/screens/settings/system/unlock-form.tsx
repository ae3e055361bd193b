import { useState, type FormEvent } from 'react';
import { Field } from '../../../components/field';
import { MessageLine, type FormMessage } from '../../../components/notice';
import { focusField } from '../../../forms/refusal';
import { useStores } from '../../../store/context';
import { passphraseError } from '../api/passphrase-form';

/**
 * Unlock a passphrase-protected secrets file after start: the API then starts, and password values can be read.
 * Used where the lock shows (Settings → API under the status, Settings → System → Secrets). The passphrase
 * lives in this form only and is emptied after every try.
 */
export function UnlockForm({ idPrefix, onUnlocked }: { idPrefix: string; onUnlocked(): void }) {
  const { secrets, api, system, notifications } = useStores();
  const [passphrase, setPassphrase] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  const [message, setMessage] = useState<FormMessage | null>(null);
  const [busy, setBusy] = useState(false);
  const id = `${idPrefix}-passphrase`;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setMessage(null);
    const local = passphraseError(passphrase);
    if (local) {
      setError(local);
      focusField(id);
      return;
    }
    setError(undefined);
    setBusy(true);
    const result = await secrets.getState().unlock(passphrase);
    setPassphrase('');
    if (result.ok) {
      // The API starts and password values become readable: every view that says otherwise is stale.
      await Promise.all([api.getState().refreshStatus(), system.getState().refresh(), notifications.getState().refresh()]);
      setBusy(false);
      onUnlocked();
      return;
    }
    setBusy(false);
    // A wrong passphrase is said beside the field, and announced; anything else (not locked any more…) below it.
    const beside = result.error.fields?.passphrase;
    setError(beside);
    setMessage({ tone: 'error', text: beside ? 'The secrets file is still locked.' : result.error.message });
    focusField(id);
  }

  return (
    <form className="form unlock" onSubmit={submit} noValidate aria-label="Unlock the secrets file">
      <Field
        id={id}
        label="Passphrase"
        type="password"
        autoComplete="current-password"
        value={passphrase}
        onValueChange={setPassphrase}
        error={error}
        aside={
          <button type="submit" className="button button--primary" disabled={busy}>
            {busy ? 'Unlocking…' : 'Unlock'}
          </button>
        }
      />
      <MessageLine message={message} />
    </form>
  );
}
