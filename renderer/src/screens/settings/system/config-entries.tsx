import { useEffect, useRef, useState } from 'react';
import type { ConfigEntryView } from '../../../../../shared/domain';
import { useConfirm } from '../../../components/confirm-dialog';
import { MessageLine, type FormMessage } from '../../../components/notice';
import { useStores, useSystem } from '../../../store/context';
import { MASK, revealBlockedReason, sortedEntries } from '../../../store/system/selectors';
import { EntryEditor } from './entry-editor';

/**
 * The config table (privacyIDEA's /system entries): key, value, type, description. Password values stay masked
 * until Reveal asks for one; revealed values live in this component only, so leaving the tab hides them again.
 */
export function ConfigEntries() {
  const { system } = useStores();
  const entries = useSystem((s) => s.overview?.entries ?? null);
  const passwordsUnavailable = useSystem((s) => s.overview?.passwordsUnavailable ?? null);
  const [revealed, setRevealed] = useState<Record<string, string>>({});
  const [editing, setEditing] = useState<ConfigEntryView | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<FormMessage | null>(null);
  const editorRef = useRef<HTMLDivElement>(null);
  const confirm = useConfirm();

  // A new overview may hold a new value under a masked key (a save here or in another window): hide them all.
  // Revealing is a read and changes no overview, so what was just revealed stays.
  useEffect(() => setRevealed({}), [entries]);
  // The entry being edited was deleted meanwhile (another window): back to Add.
  useEffect(() => {
    if (editing && entries && !entries.some((e) => e.key === editing.key)) setEditing(null);
  }, [editing, entries]);

  if (!entries) return null;
  const rows = sortedEntries(entries);

  async function toggleReveal(key: string) {
    setMessage(null);
    if (key in revealed) {
      setRevealed(({ [key]: _hidden, ...rest }) => rest);
      return;
    }
    setBusy(true);
    const result = await system.getState().revealEntry(key);
    setBusy(false);
    if (result.ok) setRevealed((current) => ({ ...current, [key]: result.value.value }));
    else setMessage({ tone: 'error', text: result.error.message });
  }

  function edit(entry: ConfigEntryView) {
    setMessage(null);
    setEditing(entry);
    // After the render that shows the edit form: bring it into view and put the cursor in the value.
    setTimeout(() => {
      editorRef.current?.scrollIntoView({ block: 'start', behavior: 'smooth' });
      document.getElementById('config-entry-value')?.focus({ preventScroll: true });
    }, 0);
  }

  async function remove(key: string) {
    setMessage(null);
    const confirmed = await confirm.ask({
      title: `Delete ${key}?`,
      message: 'The entry leaves the config table; clients reading it get nothing from now on. This cannot be undone.',
      confirmLabel: 'Delete',
    });
    if (!confirmed) return;
    setBusy(true);
    const result = await system.getState().deleteEntry(key);
    setBusy(false);
    if (result.ok && editing?.key === key) setEditing(null);
    setMessage(result.ok ? { tone: 'success', text: `Entry ${key} deleted.` } : { tone: 'error', text: result.error.message });
  }

  return (
    <section className="section" aria-labelledby="config-heading">
      <h2 id="config-heading" className="section__title">
        Config entries
      </h2>
      <p className="section__intro">
        The settings API clients read and write through <code>/system</code>. Password values are stored encrypted and
        shown only when you reveal them.
      </p>
      {passwordsUnavailable && <p className="field__warning">{passwordsUnavailable}</p>}
      {rows.length === 0 ? (
        <p className="empty">No entries yet. Add one below.</p>
      ) : (
        <div className="table-wrap">
          <table className="table table--cards config-table">
            <thead>
              <tr>
                <th scope="col">Key</th>
                <th scope="col">Value</th>
                <th scope="col">Type</th>
                <th scope="col">Description</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((entry) => {
                const shown = revealed[entry.key];
                const blocked = revealBlockedReason(entry, passwordsUnavailable);
                return (
                  <tr key={entry.key}>
                    <td className="table__name config-key" data-label="Key">
                      {entry.key}
                    </td>
                    <td className="config-value" data-label="Value">
                      {entry.masked ? (
                        <span className="config-value__secret">
                          {shown === undefined ? (
                            <span className="config-value__mask">
                              <span aria-hidden="true">{MASK}</span>
                              <span className="visually-hidden">hidden</span>
                            </span>
                          ) : (
                            <code className="config-value__text">{shown}</code>
                          )}
                          <button
                            type="button"
                            className="button button--small"
                            disabled={busy || (shown === undefined && blocked !== null)}
                            title={shown === undefined ? (blocked ?? undefined) : undefined}
                            onClick={() => void toggleReveal(entry.key)}
                          >
                            {shown === undefined ? 'Reveal' : 'Hide'}
                          </button>
                        </span>
                      ) : entry.value ? (
                        <code className="config-value__text">{entry.value}</code>
                      ) : (
                        <span className="muted">(empty)</span>
                      )}
                    </td>
                    <td data-label="Type">{entry.type || <span className="muted">—</span>}</td>
                    <td className="config-desc" data-label="Description">
                      {entry.desc}
                    </td>
                    <td className="table__actions">
                      <div className="button-row">
                        <button type="button" className="button button--small" onClick={() => edit(entry)} disabled={busy}>
                          Edit
                        </button>
                        <button type="button" className="button button--small" onClick={() => void remove(entry.key)} disabled={busy}>
                          Delete
                        </button>
                      </div>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <MessageLine message={message} />
      <div ref={editorRef} className="subsection">
        <EntryEditor
          key={editing ? `edit:${editing.key}` : 'add'}
          editing={editing}
          existingKeys={entries.map((e) => e.key)}
          passwordsUnavailable={passwordsUnavailable}
          onDone={(done) => {
            setEditing(null);
            if (done) setMessage(done);
          }}
        />
      </div>
      {confirm.dialog}
    </section>
  );
}
