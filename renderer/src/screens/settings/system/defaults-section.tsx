import { useState, type FormEvent } from 'react';
import { DEFAULT_SYSTEM_DEFAULTS, type SystemDefaults } from '../../../../../shared/domain';
import { Field } from '../../../components/field';
import { MessageLine, type FormMessage } from '../../../components/notice';
import { CORRECT_MARKED_FIELDS, formErrorText, type FieldErrors } from '../../../forms/field-errors';
import { focusField } from '../../../forms/refusal';
import { useStores, useSystem } from '../../../store/context';
import { SelectField } from '../camera/select-field';
import { checkDefaultsForm, toDefaultsValues, type DefaultsFormValues } from './defaults-form';

const FIELD_IDS: Record<keyof DefaultsFormValues, string> = {
  maxFailCount: 'system-max-fail-count',
  resetFailCount: 'system-reset-fail-count',
  otpLen: 'system-otp-len',
  syncWindow: 'system-sync-window',
  countWindow: 'system-count-window',
};
const ORDER = Object.keys(FIELD_IDS) as (keyof DefaultsFormValues)[];

const OTP_OPTIONS = [
  { value: '6', label: '6 digits' },
  { value: '8', label: '8 digits' },
];

/** setDefault's settings: the network login limit (live) and the defaults of the second factor to come. */
export function DefaultsSection() {
  const stored = useSystem((s) => s.overview?.defaults ?? null);
  const [message, setMessage] = useState<FormMessage | null>(null);
  return (
    <section className="section" aria-labelledby="defaults-heading">
      <h2 id="defaults-heading" className="section__title">
        Defaults
      </h2>
      <details className="about">
        <summary>About these settings</summary>
        <div className="prose">
          <p>
            The login limit applies at once to logins over the network (<code>/api/login</code> and the stream URLs’
            user name and password): after that many failed attempts in a row, a user is locked out from that client
            for a while, longer after every further failure. The panel’s own login has its own limit.
          </p>
          <p>
            The one-time password values (length, sync window, count window) are stored for the second login factor
            to come; nothing uses them yet.
          </p>
        </div>
      </details>
      {stored && <DefaultsForm key={JSON.stringify(stored)} stored={stored} message={message} setMessage={setMessage} />}
    </section>
  );
}

interface DefaultsFormProps {
  stored: SystemDefaults;
  message: FormMessage | null;
  setMessage(message: FormMessage | null): void;
}

function DefaultsForm({ stored, message, setMessage }: DefaultsFormProps) {
  const { system } = useStores();
  const [values, setValues] = useState<DefaultsFormValues>(() => toDefaultsValues(stored));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const set = (field: Exclude<keyof DefaultsFormValues, 'resetFailCount'>) => (value: string) => setValues((v) => ({ ...v, [field]: value }));

  function refuse(fields: FieldErrors, text: string) {
    setErrors(fields);
    setMessage({ tone: 'error', text });
    const first = ORDER.find((field) => fields[field] !== undefined);
    if (first) focusField(FIELD_IDS[first]);
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setMessage(null);
    const checked = checkDefaultsForm(values);
    if (!checked.ok) return refuse(checked.fields, CORRECT_MARKED_FIELDS);
    setErrors({});
    setBusy(true);
    const result = await system.getState().setDefaults(checked.defaults);
    setBusy(false);
    // On success this form remounts with the stored values; the message lives in the section.
    if (result.ok) setMessage({ tone: 'success', text: 'Defaults stored. Network logins use the new limit from now on.' });
    else refuse(result.error.fields ?? {}, formErrorText(result.error));
  }

  const number = (field: 'maxFailCount' | 'syncWindow' | 'countWindow', label: string, max: number, hint: string) => (
    <Field
      id={FIELD_IDS[field]}
      label={label}
      type="number"
      inputMode="numeric"
      min={0}
      max={max}
      step={1}
      value={values[field]}
      onValueChange={set(field)}
      hint={hint}
      error={errors[field]}
    />
  );

  return (
    <form className="form form--wide form--aside" onSubmit={submit} noValidate>
      {number(
        'maxFailCount',
        'Failed logins before lock-out',
        1000,
        `0 to 1000; ${DEFAULT_SYSTEM_DEFAULTS.maxFailCount} while none is stored. Per user and client.`,
      )}
      <div className={errors.resetFailCount ? 'check field--invalid' : 'check'}>
        <input
          id={FIELD_IDS.resetFailCount}
          type="checkbox"
          className="check__box"
          checked={values.resetFailCount}
          onChange={(e) => setValues((v) => ({ ...v, resetFailCount: e.target.checked }))}
          aria-describedby="system-reset-fail-count-hint"
        />
        <div>
          <label htmlFor={FIELD_IDS.resetFailCount} className="check__label">
            A successful login resets the count
          </label>
          <p id="system-reset-fail-count-hint" className="field__hint">
            Off: failures add up until a lock-out, whatever logins succeed in between.
          </p>
          {errors.resetFailCount && <p className="field__error">{errors.resetFailCount}</p>}
        </div>
      </div>
      <SelectField
        id={FIELD_IDS.otpLen}
        label="One-time password length"
        value={values.otpLen}
        options={OTP_OPTIONS}
        onValueChange={set('otpLen')}
        error={errors.otpLen}
      />
      {number('syncWindow', 'Sync window', 100_000, 'One-time passwords searched ahead to resynchronise a token (0 to 100000).')}
      {number('countWindow', 'Count window', 100_000, 'One-time passwords accepted ahead of the expected one (0 to 100000).')}
      <MessageLine message={message} />
      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={busy}>
          Save defaults
        </button>
      </div>
    </form>
  );
}
