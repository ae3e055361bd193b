import { useState } from 'react';
import { MessageLine, Notice, type FormMessage } from '../../components/notice';
import { useApi, useSession, useSettings, useStores } from '../../store/context';
import { generalApiNotice } from '../../store/api/selectors';
import { isAdmin } from '../../store/session/selectors';
import { allowApi as allowApiOf } from '../../store/settings/selectors';
import { ConfigurationTransfer } from './configuration-transfer';

export function GeneralTab() {
  const { settings, api } = useStores();
  const admin = useSession(isAdmin);
  const loaded = useSettings((s) => s.view !== null);
  const allowApi = useSettings((s) => allowApiOf(s.view));
  const status = useApi((s) => s.status);
  const [busy, setBusy] = useState(false);
  const [restarting, setRestarting] = useState(false);
  // Shown while the server stores the change, so the box follows the click at once.
  const [pendingValue, setPendingValue] = useState<boolean | null>(null);
  // Whether the box was changed here: the notice about the API is then derived from the live status.
  const [changed, setChanged] = useState(false);
  const [error, setError] = useState<FormMessage | null>(null);

  async function toggle(next: boolean) {
    setBusy(true);
    setPendingValue(next);
    setError(null);
    const result = await settings.getState().setAllowApi(next);
    await api.getState().refreshStatus();
    setPendingValue(null);
    setBusy(false);
    if (result.ok) setChanged(true);
    else setError({ tone: 'error', text: result.error.message });
  }

  async function restart() {
    setRestarting(true);
    setError(null);
    const result = await api.getState().restartApi();
    await api.getState().refreshStatus();
    setRestarting(false);
    if (!result.ok) setError({ tone: 'error', text: result.error.message });
  }

  // Never a stale "not allowed" while the API still answers: the words follow the API's state.
  const notice = changed && status ? generalApiNotice(allowApi, status) : null;

  return (
    <div className="stack">
      <section className="section" aria-labelledby="general-heading">
        <h2 id="general-heading" className="section__title">
          General
        </h2>
        <div className="check">
          <input
            id="allow-api"
            type="checkbox"
            className="check__box"
            checked={pendingValue ?? allowApi}
            disabled={!admin || !loaded || busy}
            onChange={(e) => void toggle(e.target.checked)}
            aria-describedby="allow-api-desc"
          />
          <div>
            <label htmlFor="allow-api" className="check__label">
              Allow access through API
            </label>
            <p id="allow-api-desc" className="field__hint">
              Select whether you want to allow API access to the CamPanel server. The change takes effect when the API
              is restarted.
            </p>
          </div>
        </div>
        {!admin && <p className="section__note">Only administrators can change settings.</p>}
        {notice && (
          <div className="button-row" data-testid="allow-api-notice">
            <Notice tone={notice.tone}>{notice.text}</Notice>
            {notice.restart && (
              <button type="button" className="button button--primary" onClick={() => void restart()} disabled={restarting}>
                {restarting ? 'Restarting…' : 'Restart API'}
              </button>
            )}
          </div>
        )}
        <MessageLine message={error} />
      </section>
      {admin && <ConfigurationTransfer />}
    </div>
  );
}
