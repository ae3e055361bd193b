import { useState, type FormEvent } from 'react';
import { useConfirm } from '../../../components/confirm-dialog';
import { Field } from '../../../components/field';
import { MessageLine, type FormMessage } from '../../../components/notice';
import { formErrorText, hasErrors, type FieldErrors } from '../../../forms/field-errors';
import { focusField } from '../../../forms/refusal';
import { useSecrets, useStores } from '../../../store/context';
import { lockSummary } from '../../../store/secrets/selectors';
import { newPassphraseErrors, passphraseError } from './passphrase-form';

/** What the confirmation says before the secrets file is encrypted with a passphrase. */
export const PROTECT_QUESTION =
  'raspiCamSrv can no longer read a protected secrets file. After every restart of CamPanel an administrator must ' +
  'unlock it (Settings → API or System) before the API works again. A forgotten passphrase cannot be recovered.';

/** What the confirmation says before the passphrase is removed. */
export const UNPROTECT_QUESTION =
  'The secrets file is stored without a passphrase again: anyone who can read the file can read the JWT key and the ' +
  'mail password, and the API starts by itself after a restart.';

/**
 * "Secrets file passphrase": protect the secrets file with a passphrase, or remove the protection. Unlocking a
 * locked file is offered under the API status, where the inactive API shows.
 */
export function SecretsPassphrase() {
  const lock = useSecrets((s) => s.lock);
  const loadError = useSecrets((s) => s.loadError);
  const [message, setMessage] = useState<FormMessage | null>(null);
  const summary = lock ? lockSummary(lock) : null;

  return (
    <section className="section" aria-labelledby="passphrase-heading">
      <h2 id="passphrase-heading" className="section__title">
        Secrets file passphrase
      </h2>
      {loadError && <MessageLine message={{ tone: 'error', text: loadError.message }} />}
      {summary && (
        <p className="lock-state" data-testid="passphrase-state" data-state={summary.state}>
          <span className={`lock-badge lock-badge--${summary.state}`}>{summary.label}</span>
          <span>{summary.text}</span>
        </p>
      )}
      {summary?.state === 'notProtected' && (
        <>
          <p className="section__intro">
            Encrypts the secrets file (JWT key, mail password) with a passphrase, so that a copy of the file alone is useless.
          </p>
          <ProtectForm onDone={setMessage} />
        </>
      )}
      {summary?.state === 'unlocked' && <UnprotectForm onDone={setMessage} />}
      {summary?.state === 'locked' && <p className="section__note">Unlock it above first; then the protection can be removed here.</p>}
      <MessageLine message={message} />
    </section>
  );
}

const PROTECT_IDS = { passphrase: 'protect-passphrase', repeat: 'protect-repeat' } as const;

function ProtectForm({ onDone }: { onDone(message: FormMessage | null): void }) {
  const { secrets } = useStores();
  const [passphrase, setPassphrase] = useState('');
  const [repeat, setRepeat] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<FormMessage | null>(null);
  const [busy, setBusy] = useState(false);
  const confirm = useConfirm();

  function refuse(fields: FieldErrors, text: string | null) {
    setErrors(fields);
    setMessage(text ? { tone: 'error', text } : null);
    // The repetition repeats a value that must change: both go when the passphrase is wrong.
    if (fields.passphrase) {
      setPassphrase('');
      setRepeat('');
      focusField(PROTECT_IDS.passphrase);
    } else if (fields.repeat) {
      setRepeat('');
      focusField(PROTECT_IDS.repeat);
    }
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    onDone(null);
    setMessage(null);
    const local = newPassphraseErrors(passphrase, repeat);
    if (hasErrors(local)) return refuse(local, null);
    setErrors({});
    const question = { title: 'Protect the secrets file with a passphrase?', message: PROTECT_QUESTION, confirmLabel: 'Protect', tone: 'primary' as const };
    if (!(await confirm.ask(question))) return;
    setBusy(true);
    const result = await secrets.getState().protect(passphrase);
    setBusy(false);
    if (!result.ok) return refuse(result.error.fields ?? {}, formErrorText(result.error));
    setPassphrase('');
    setRepeat('');
    onDone({ tone: 'success', text: 'The secrets file is protected. Unlock it after every restart of CamPanel.' });
  }

  // The dialog outside the form: its own form's submit must not bubble into this one.
  return (
    <>
      <form className="form" onSubmit={submit} noValidate>
        <Field
          id={PROTECT_IDS.passphrase}
          label="New passphrase"
          type="password"
          autoComplete="new-password"
          value={passphrase}
          onValueChange={setPassphrase}
          hint="At least 12 characters. It is not stored anywhere: keep it safe."
          error={errors.passphrase}
        />
        <Field
          id={PROTECT_IDS.repeat}
          label="Repeat new passphrase"
          type="password"
          autoComplete="new-password"
          value={repeat}
          onValueChange={setRepeat}
          error={errors.repeat}
        />
        <MessageLine message={message} />
        <div className="form__actions">
          <button type="submit" className="button button--primary" disabled={busy}>
            Protect with passphrase
          </button>
        </div>
      </form>
      {confirm.dialog}
    </>
  );
}

function UnprotectForm({ onDone }: { onDone(message: FormMessage | null): void }) {
  const { secrets } = useStores();
  const [passphrase, setPassphrase] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  const [message, setMessage] = useState<FormMessage | null>(null);
  const [busy, setBusy] = useState(false);
  const confirm = useConfirm();
  const id = 'unprotect-passphrase';

  async function submit(event: FormEvent) {
    event.preventDefault();
    onDone(null);
    setMessage(null);
    const local = passphraseError(passphrase);
    setError(local ?? undefined);
    if (local) return focusField(id);
    if (!(await confirm.ask({ title: 'Remove the passphrase protection?', message: UNPROTECT_QUESTION, confirmLabel: 'Remove protection' }))) return;
    setBusy(true);
    const result = await secrets.getState().unprotect(passphrase);
    setBusy(false);
    setPassphrase('');
    if (result.ok) return onDone({ tone: 'success', text: 'The secrets file is stored without a passphrase again.' });
    const beside = result.error.fields?.passphrase;
    setError(beside);
    setMessage({ tone: 'error', text: beside ? 'The protection was not removed.' : result.error.message });
    focusField(id);
  }

  return (
    <>
      <form className="form" onSubmit={submit} noValidate>
        <Field
          id={id}
          label="Current passphrase"
          type="password"
          autoComplete="current-password"
          value={passphrase}
          onValueChange={setPassphrase}
          error={error}
        />
        <MessageLine message={message} />
        <div className="form__actions">
          <button type="submit" className="button button--danger-outline" disabled={busy}>
            Remove protection
          </button>
        </div>
      </form>
      {confirm.dialog}
    </>
  );
}
