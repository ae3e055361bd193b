import { useRef, useState, type ChangeEvent } from 'react';
import { LIMITS } from '../../../../shared/domain';
import { MessageLine, type FormMessage } from '../../components/notice';
import { formErrorText } from '../../forms/field-errors';
import { useStores } from '../../store/context';

function download(fileName: string, json: string): void {
  const url = URL.createObjectURL(new Blob([json], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** Export / import every setting as JSON. The secrets file's path travels, never its key. */
export function ConfigurationTransfer() {
  const { settings, api } = useStores();
  const [message, setMessage] = useState<FormMessage | null>(null);
  const [fieldErrors, setFieldErrors] = useState<[string, string][]>([]);
  const [busy, setBusy] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);

  async function exportConfig() {
    setMessage(null);
    setFieldErrors([]);
    const result = await settings.getState().exportConfig();
    if (!result.ok) return setMessage({ tone: 'error', text: result.error.message });
    download(result.value.fileName, result.value.json);
    setMessage({ tone: 'success', text: `Configuration exported as ${result.value.fileName}.` });
  }

  async function importConfig(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    setMessage(null);
    setFieldErrors([]);
    if (!file) return;
    if (file.size > LIMITS.configJson) {
      setMessage({ tone: 'error', text: 'This file is too large to be a CamPanel configuration.' });
    } else {
      setBusy(true);
      const result = await settings.getState().importConfig(await file.text());
      await api.getState().refreshStatus();
      setBusy(false);
      if (result.ok) setMessage({ tone: 'success', text: `Configuration imported from ${file.name}.` });
      else {
        setMessage({ tone: 'error', text: formErrorText(result.error) });
        setFieldErrors(Object.entries(result.error.fields ?? {}));
      }
    }
    if (fileInput.current) fileInput.current.value = '';
  }

  return (
    <section className="section" aria-labelledby="config-heading">
      <h2 id="config-heading" className="section__title">
        Configuration
      </h2>
      <p className="section__intro">
        The export holds every setting, including the JWT Secret Key File Path, but never the key itself.
      </p>
      <div className="button-row">
        <button type="button" className="button" onClick={() => void exportConfig()}>
          Export configuration
        </button>
        <input
          ref={fileInput}
          id="import-config"
          className="visually-hidden file-input"
          type="file"
          accept="application/json,.json"
          disabled={busy}
          onChange={(e) => void importConfig(e)}
        />
        <label className="button file-button" htmlFor="import-config">
          Import configuration
        </label>
      </div>
      <MessageLine message={message} />
      {fieldErrors.length > 0 && (
        <ul className="error-list">
          {fieldErrors.map(([field, text]) => (
            <li key={field}>
              <code>{field}</code>: {text}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
