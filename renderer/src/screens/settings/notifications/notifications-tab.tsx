/** Settings → Notifications (admins): the mail server notifications use, and a test mail. */
import { useEffect, useState, type FormEvent } from 'react';
import { LIMITS, mailTlsModeSchema, type MailTlsMode, type NotificationView } from '../../../../../shared/domain';
import { Field } from '../../../components/field';
import { MessageLine, Notice, type FormMessage } from '../../../components/notice';
import { CORRECT_MARKED_FIELDS, formErrorText, type FieldErrors } from '../../../forms/field-errors';
import { focusField } from '../../../forms/refusal';
import { useNotifications, useStores } from '../../../store/context';
import { TLS_MODE_LABELS, portAfterTlsChange } from '../../../store/notifications/selectors';
import { SelectField } from '../camera/select-field';
import { MailPasswordField } from './mail-password-field';
import {
  checkNotificationsForm,
  notificationsDirty,
  toNotificationValues,
  type NotificationFormValues,
  type PasswordChoice,
} from './notifications-form';
import { TestMail } from './test-mail';

/** Element ids by the keys refusals use. */
const FIELD_IDS: Record<string, string> = {
  'settings.host': 'mail-host',
  'settings.port': 'mail-port',
  'settings.tls': 'mail-tls',
  'settings.user': 'mail-user',
  password: 'mail-password',
  'settings.sender': 'mail-sender',
  'settings.recipient': 'mail-recipient',
};
const ORDER = Object.keys(FIELD_IDS);

const TLS_OPTIONS = mailTlsModeSchema.options.map((mode) => ({ value: mode, label: TLS_MODE_LABELS[mode] }));

export function NotificationsTab() {
  const { notifications } = useStores();
  const view = useNotifications((s) => s.view);
  const loadError = useNotifications((s) => s.loadError);
  const [message, setMessage] = useState<FormMessage | null>(null);
  // Whether the form holds changes Save has not stored: the test mail uses the stored settings.
  const [dirty, setDirty] = useState(false);

  useEffect(() => {
    void notifications.getState().refresh();
  }, [notifications]);

  return (
    <div className="stack">
      <section className="section" aria-labelledby="mail-heading">
        <h2 id="mail-heading" className="section__title">
          Mail notifications
        </h2>
        <p className="section__intro">
          Notifications and the test below are sent through this server. A blank server turns mail notifications off.
        </p>
        {loadError && <Notice tone="error">{loadError.message}</Notice>}
        {!view && !loadError && <p role="status">Loading notification settings…</p>}
        {view?.importedFromSecrets && <Notice tone="info">Filled in from the raspiCamSrv secrets file; Save to keep them.</Notice>}
        {view && (
          // Remounts when the stored settings change (own save, another window), as the API form does.
          <MailForm key={JSON.stringify(view)} view={view} message={message} setMessage={setMessage} onDirty={setDirty} />
        )}
      </section>
      <TestMail dirty={dirty} />
    </div>
  );
}

interface MailFormProps {
  view: NotificationView;
  message: FormMessage | null;
  setMessage(message: FormMessage | null): void;
  onDirty(dirty: boolean): void;
}

function MailForm({ view, message, setMessage, onDirty }: MailFormProps) {
  const { notifications } = useStores();
  const [values, setValues] = useState<NotificationFormValues>(() => toNotificationValues(view.settings));
  const [choice, setChoice] = useState<PasswordChoice>({ mode: 'keep' });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const dirty = notificationsDirty(values, view.settings, choice);

  useEffect(() => onDirty(dirty), [dirty, onDirty]);

  const set = (field: Exclude<keyof NotificationFormValues, 'tls'>) => (value: string) => setValues((v) => ({ ...v, [field]: value }));
  function setTls(next: string) {
    const parsed = mailTlsModeSchema.safeParse(next);
    if (!parsed.success) return;
    const tls: MailTlsMode = parsed.data;
    setValues((v) => ({ ...v, tls, port: portAfterTlsChange(v.port, v.tls, tls) }));
  }

  function refuse(fields: FieldErrors, text: string) {
    setErrors(fields);
    setMessage({ tone: 'error', text });
    const first = ORDER.find((key) => fields[key] !== undefined);
    if (first) focusField(FIELD_IDS[first] ?? '');
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setMessage(null);
    const checked = checkNotificationsForm(values, choice, view.passwordUnavailable);
    if (!checked.ok) return refuse(checked.fields, CORRECT_MARKED_FIELDS);
    setErrors({});
    setBusy(true);
    const result = await notifications.getState().save(checked.request);
    setBusy(false);
    // A new password alone leaves the view as it was, so the tab's key would not change: start over by hand.
    if (result.ok) {
      setChoice({ mode: 'keep' });
      setValues(toNotificationValues(result.value.settings));
      setMessage({ tone: 'success', text: 'Notification settings stored.' });
    }
    else refuse(result.error.fields ?? {}, formErrorText(result.error));
  }

  type TextKey = 'host' | 'user' | 'sender' | 'recipient';
  const text = (key: TextKey, label: string, extra: { hint?: string; type?: string; autoComplete?: string; maxLength?: number }) => (
    <Field
      id={FIELD_IDS[`settings.${key}`] ?? key}
      label={label}
      value={values[key]}
      onValueChange={set(key)}
      spellCheck={false}
      autoComplete={extra.autoComplete ?? 'off'}
      type={extra.type}
      maxLength={extra.maxLength}
      hint={extra.hint}
      error={errors[`settings.${key}`]}
    />
  );

  return (
    <form className="form form--wide form--aside" onSubmit={submit} noValidate>
      {text('host', 'Mail server', { hint: 'Host name or IP address, e.g. smtp.example.org. Blank: no mail.', maxLength: LIMITS.host })}
      <div className="form__grid">
        <Field
          id="mail-port"
          label="Port"
          type="number"
          inputMode="numeric"
          min={1}
          max={65535}
          step={1}
          value={values.port}
          onValueChange={set('port')}
          hint="25 without TLS, 587 for STARTTLS, 465 for TLS."
          error={errors['settings.port']}
        />
        <SelectField
          id="mail-tls"
          label="TLS mode"
          value={values.tls}
          options={TLS_OPTIONS}
          onValueChange={setTls}
          hint="STARTTLS: plain, then encrypted (refused if the server does not offer it). TLS: encrypted from the start."
          error={errors['settings.tls']}
        />
      </div>
      {text('user', 'User', { hint: 'Blank when the server takes mail without logging in.', autoComplete: 'off', maxLength: LIMITS.mailAddress })}
      <MailPasswordField
        choice={choice}
        onChoice={setChoice}
        passwordSet={view.passwordSet}
        unavailable={view.passwordUnavailable}
        error={errors.password}
        disabled={busy}
      />
      {text('sender', 'Sender', { type: 'email', hint: 'The From address, e.g. camera@example.org.', maxLength: LIMITS.mailAddress })}
      {text('recipient', 'Recipient', { type: 'email', hint: 'Where notifications and the test mail go.', maxLength: LIMITS.mailAddress })}
      <MessageLine message={message} />
      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={busy}>
          Save
        </button>
      </div>
    </form>
  );
}
