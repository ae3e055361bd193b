import { useRef, useState, type ChangeEvent } from 'react';
import { LIMITS } from '../../../../shared/domain';
import { MessageLine, Notice, type FormMessage } from '../../components/notice';
import { downloadText } from '../../client/download';
import { useStores } from '../../store/context';

/** A checked file waiting for the user's yes: what it would change. */
interface PendingImport {
  name: string;
  json: string;
  changes: string[];
}

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/**
 * Export / import every setting as JSON. The secrets file's path travels, never its key. Import checks the
 * file first: every problem is listed, or what it would change, and nothing is replaced before a yes.
 */
export function ConfigurationTransfer() {
  const { settings, api } = useStores();
  const [message, setMessage] = useState<FormMessage | null>(null);
  const [problems, setProblems] = useState<string[]>([]);
  const [pending, setPending] = useState<PendingImport | null>(null);
  const [busy, setBusy] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);

  function reset() {
    setMessage(null);
    setProblems([]);
    setPending(null);
  }

  async function exportConfig() {
    reset();
    const result = await settings.getState().exportConfig();
    if (!result.ok) return setMessage({ tone: 'error', text: result.error.message });
    downloadText(result.value.fileName, result.value.json, 'application/json');
    setMessage({ tone: 'success', text: `Configuration exported as ${result.value.fileName}.` });
  }

  async function chooseFile(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    reset();
    if (fileInput.current) fileInput.current.value = '';
    if (!file) return;
    if (file.size > LIMITS.configJson) return setMessage({ tone: 'error', text: 'This file is too large to be a CamPanel configuration.' });
    setBusy(true);
    const json = await file.text();
    const checked = await settings.getState().checkImport(json);
    setBusy(false);
    if (!checked.ok) return setMessage({ tone: 'error', text: checked.error.message });
    const { problems: found, changes } = checked.value;
    if (found.length > 0) {
      setMessage({ tone: 'error', text: `Nothing was imported: ${file.name} has ${plural(found.length, 'problem', 'problems')}.` });
      setProblems(found);
    } else if (changes.length === 0) {
      setMessage({ tone: 'info', text: `${file.name} holds the settings you have now; there is nothing to import.` });
    } else {
      setPending({ name: file.name, json, changes });
    }
  }

  async function apply(chosen: PendingImport) {
    setBusy(true);
    const result = await settings.getState().importConfig(chosen.json);
    await api.getState().refreshStatus();
    setBusy(false);
    setPending(null);
    if (result.ok) return setMessage({ tone: 'success', text: `Configuration imported from ${chosen.name}.` });
    const listed = Object.values(result.error.fields ?? {});
    setMessage({ tone: 'error', text: listed.length > 1 ? `Nothing was imported: ${chosen.name} has ${listed.length} problems.` : result.error.message });
    if (listed.length > 1) setProblems(listed);
  }

  return (
    <section className="section" aria-labelledby="config-heading">
      <h2 id="config-heading" className="section__title">
        Configuration
      </h2>
      <p className="section__intro">
        The export holds every setting, including the JWT Secret Key File Path, but never the key itself. Import shows
        what it would change and asks before it replaces anything.
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
          onChange={(e) => void chooseFile(e)}
        />
        <label className="button file-button" htmlFor="import-config">
          Import configuration
        </label>
      </div>
      <MessageLine message={message} />
      {problems.length > 0 && (
        <ul className="error-list" aria-label="Problems in the file">
          {problems.map((problem) => (
            <li key={problem}>{problem}</li>
          ))}
        </ul>
      )}
      {pending && (
        <div className="stack" role="group" aria-label="Confirm import">
          <Notice tone="warning">
            <p>Importing {pending.name} replaces these settings:</p>
            <ul className="notice__list">
              {pending.changes.map((change) => (
                <li key={change}>{change}</li>
              ))}
            </ul>
          </Notice>
          <div className="button-row">
            <button type="button" className="button button--primary" disabled={busy} onClick={() => void apply(pending)}>
              Replace settings
            </button>
            <button type="button" className="button" disabled={busy} onClick={reset}>
              Cancel
            </button>
          </div>
        </div>
      )}
    </section>
  );
}
