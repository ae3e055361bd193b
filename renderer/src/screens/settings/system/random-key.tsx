import { useState, type FormEvent } from 'react';
import { RANDOM_LIMITS } from '../../../../../shared/domain';
import { Field } from '../../../components/field';
import { MessageLine, type FormMessage } from '../../../components/notice';
import { useStores } from '../../../store/context';
import { SelectField } from '../camera/select-field';
import { CopyButton } from './copy-button';
import { PANEL_RANDOM_LENGTH, checkRandomForm, encodedLength, type RandomEncoding } from './random-form';

const ENCODINGS = [
  { value: 'hex', label: 'Hex' },
  { value: 'base64', label: 'Base64' },
];

/** /system/random from the panel: a key from the main process's random source, shown here only, never stored. */
export function RandomKey() {
  const { system } = useStores();
  const [length, setLength] = useState(String(PANEL_RANDOM_LENGTH));
  const [encoding, setEncoding] = useState<RandomEncoding>('hex');
  const [error, setError] = useState<string | undefined>(undefined);
  const [value, setValue] = useState<string | null>(null);
  const [message, setMessage] = useState<FormMessage | null>(null);
  const [busy, setBusy] = useState(false);

  async function generate(event: FormEvent) {
    event.preventDefault();
    setMessage(null);
    const checked = checkRandomForm(length, encoding);
    if (!checked.ok) {
      setError(checked.error);
      return;
    }
    setError(undefined);
    setBusy(true);
    const result = await system.getState().randomKey(checked.request);
    setBusy(false);
    if (result.ok) setValue(result.value.value);
    else {
      setError(result.error.fields?.length);
      setMessage({ tone: 'error', text: result.error.message });
    }
  }

  const checked = checkRandomForm(length, encoding);
  return (
    <section className="section" aria-labelledby="random-heading">
      <h2 id="random-heading" className="section__title">
        Random key
      </h2>
      <p className="section__intro">A key for other software from the system’s secure random source. CamPanel does not keep it.</p>
      <form className="form form--wide random-form" onSubmit={generate} noValidate>
        <div className="form__grid">
          <Field
            id="random-length"
            label="Length in bytes"
            type="number"
            inputMode="numeric"
            min={RANDOM_LIMITS.min}
            max={RANDOM_LIMITS.max}
            step={1}
            value={length}
            onValueChange={setLength}
            hint={
              checked.ok
                ? `${RANDOM_LIMITS.min} to ${RANDOM_LIMITS.max}; gives ${encodedLength(checked.request.length, encoding)} characters.`
                : `${RANDOM_LIMITS.min} to ${RANDOM_LIMITS.max}.`
            }
            error={error}
          />
          <SelectField
            id="random-encoding"
            label="Encoding"
            value={encoding}
            options={ENCODINGS}
            onValueChange={(v) => setEncoding(v === 'base64' ? 'base64' : 'hex')}
          />
        </div>
        <div className="form__actions">
          <button type="submit" className="button button--primary" disabled={busy}>
            Generate
          </button>
        </div>
      </form>
      {value !== null && (
        <div className="token">
          <label htmlFor="random-value" className="field__label">
            Generated key
          </label>
          <textarea
            id="random-value"
            className="token__value"
            readOnly
            rows={Math.max(1, Math.min(4, Math.ceil(value.length / 64)))}
            value={value}
            spellCheck={false}
            onFocus={(e) => e.currentTarget.select()}
          />
          <div className="form__actions">
            <CopyButton text={value} label="Copy key" describedBy="random-value" />
          </div>
        </div>
      )}
      <MessageLine message={message} />
    </section>
  );
}
