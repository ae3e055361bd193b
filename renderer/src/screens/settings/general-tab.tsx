import { useState } from 'react';
import { MessageLine, type FormMessage } from '../../components/notice';
import { useSession, useSettings, useStores } from '../../store/context';
import { isAdmin } from '../../store/session/selectors';
import { allowApi as allowApiOf } from '../../store/settings/selectors';
import { ConfigurationTransfer } from './configuration-transfer';

export function GeneralTab() {
  const { settings, api } = useStores();
  const admin = useSession(isAdmin);
  const loaded = useSettings((s) => s.view !== null);
  const allowApi = useSettings((s) => allowApiOf(s.view));
  const [busy, setBusy] = useState(false);
  // Shown while the server stores the change, so the box follows the click at once.
  const [pendingValue, setPendingValue] = useState<boolean | null>(null);
  const [message, setMessage] = useState<FormMessage | null>(null);

  async function toggle(next: boolean) {
    setBusy(true);
    setPendingValue(next);
    setMessage(null);
    const result = await settings.getState().setAllowApi(next);
    await api.getState().refreshStatus();
    setPendingValue(null);
    setBusy(false);
    if (!result.ok) setMessage({ tone: 'error', text: result.error.message });
    else
      setMessage({
        tone: 'success',
        text: next
          ? 'Saved. API access is allowed: configure it on the API tab.'
          : 'Saved. API access is not allowed.',
      });
  }

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
              Select whether you want to allow API access to the CamPanel server.
            </p>
          </div>
        </div>
        {!admin && <p className="section__note">Only administrators can change settings.</p>}
        <MessageLine message={message} />
      </section>
      {admin && <ConfigurationTransfer />}
    </div>
  );
}
