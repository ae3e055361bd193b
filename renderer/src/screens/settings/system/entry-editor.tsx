import { useState, type FormEvent } from 'react';
import { CONFIG_LIMITS, type ConfigEntryView } from '../../../../../shared/domain';
import { Field, FieldFrame } from '../../../components/field';
import { MessageLine, type FormMessage } from '../../../components/notice';
import { CORRECT_MARKED_FIELDS, formErrorText, type FieldErrors } from '../../../forms/field-errors';
import { focusField } from '../../../forms/refusal';
import { useStores } from '../../../store/context';
import { CONFIG_TYPE_SUGGESTIONS, isPasswordType } from '../../../store/system/selectors';
import { EMPTY_ENTRY, checkEntryForm, toEntryValues, type EntryFormValues } from './entry-form';

const FIELD_IDS: Record<keyof EntryFormValues, string> = {
  key: 'config-entry-key',
  value: 'config-entry-value',
  type: 'config-entry-type',
  desc: 'config-entry-desc',
};
const ORDER: (keyof EntryFormValues)[] = ['key', 'value', 'type', 'desc'];

interface EntryEditorProps {
  /** The entry to edit, or null to add one. */
  editing: ConfigEntryView | null;
  existingKeys: readonly string[];
  passwordsUnavailable: string | null;
  /** After a save (with what to say) or Cancel (null). */
  onDone(message: FormMessage | null): void;
}

/** Add or Edit one config entry. Remount it (key) to start over with another entry. */
export function EntryEditor({ editing, existingKeys, passwordsUnavailable, onDone }: EntryEditorProps) {
  const { system } = useStores();
  const [values, setValues] = useState<EntryFormValues>(() => (editing ? toEntryValues(editing) : EMPTY_ENTRY));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<FormMessage | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (field: keyof EntryFormValues) => (value: string) => setValues((v) => ({ ...v, [field]: value }));

  function refuse(fields: FieldErrors, text: string) {
    setErrors(fields);
    setMessage({ tone: 'error', text });
    const first = ORDER.find((field) => fields[field] !== undefined);
    if (first) focusField(FIELD_IDS[first]);
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setMessage(null);
    const checked = checkEntryForm(values, { editing, existingKeys, passwordsUnavailable });
    if (!checked.ok) return refuse(checked.fields, CORRECT_MARKED_FIELDS);
    setErrors({});
    setBusy(true);
    const result = await system.getState().saveEntry(checked.entry);
    setBusy(false);
    if (!result.ok) return refuse(result.error.fields ?? {}, formErrorText(result.error));
    setValues(EMPTY_ENTRY);
    onDone({ tone: 'success', text: `Entry ${checked.entry.key} stored.` });
  }

  const password = isPasswordType(values.type);
  const keepsPassword = editing?.masked === true;
  const valueHint = password
    ? keepsPassword
      ? 'Leave blank to keep the stored password.'
      : 'Stored encrypted; the list shows it as ••••••.'
    : undefined;
  const title = editing ? `Edit ${editing.key}` : 'Add entry';

  return (
    <form className="form form--wide form--aside" onSubmit={submit} noValidate aria-label={title}>
      <h3 className="subsection__title">{title}</h3>
      {editing ? (
        <div className="field">
          <span className="field__label">Key</span>
          <code className="config-key">{editing.key}</code>
          {errors.key && <p className="field__error">{errors.key}</p>}
        </div>
      ) : (
        <Field
          id={FIELD_IDS.key}
          label="Key"
          value={values.key}
          onValueChange={set('key')}
          maxLength={CONFIG_LIMITS.key}
          autoComplete="off"
          spellCheck={false}
          hint="No spaces or slashes; clients read it as /system/<key>."
          error={errors.key}
        />
      )}
      {values.type.trim() === 'text' ? (
        <FieldFrame
          id={FIELD_IDS.value}
          label="Value"
          error={errors.value}
          control={(tie) => (
            <textarea
              {...tie}
              className="field__input field__input--area"
              rows={4}
              value={values.value}
              maxLength={CONFIG_LIMITS.value}
              onChange={(e) => set('value')(e.target.value)}
              spellCheck={false}
            />
          )}
        />
      ) : (
        <Field
          id={FIELD_IDS.value}
          label="Value"
          type={password ? 'password' : 'text'}
          autoComplete={password ? 'new-password' : 'off'}
          spellCheck={false}
          value={values.value}
          onValueChange={set('value')}
          maxLength={CONFIG_LIMITS.value}
          hint={valueHint}
          error={errors.value}
        />
      )}
      <Field
        id={FIELD_IDS.type}
        label="Type"
        list="config-type-suggestions"
        value={values.type}
        onValueChange={set('type')}
        maxLength={CONFIG_LIMITS.type}
        autoComplete="off"
        spellCheck={false}
        hint={
          password && passwordsUnavailable && !errors.type ? (
            <span className="field__warning">{passwordsUnavailable}</span>
          ) : (
            <>
              <code>password</code>: stored encrypted, masked here · <code>public</code>: API users may read it · any other word is a label.
            </>
          )
        }
        error={errors.type}
      />
      <datalist id="config-type-suggestions">
        {CONFIG_TYPE_SUGGESTIONS.map((t) => (
          <option key={t} value={t} />
        ))}
      </datalist>
      <Field
        id={FIELD_IDS.desc}
        label="Description"
        value={values.desc}
        onValueChange={set('desc')}
        maxLength={CONFIG_LIMITS.desc}
        autoComplete="off"
        error={errors.desc}
      />
      <MessageLine message={message} />
      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={busy}>
          {editing ? 'Save entry' : 'Add entry'}
        </button>
        {editing && (
          <button type="button" className="button" onClick={() => onDone(null)} disabled={busy}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}
