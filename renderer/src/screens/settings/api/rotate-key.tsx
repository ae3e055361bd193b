import { useState } from 'react';
import { MessageLine, type FormMessage } from '../../../components/notice';
import { useApi, useStores } from '../../../store/context';
import { rotateBlockedReason } from '../../../store/api/selectors';

export const ROTATE_QUESTION =
  'Rotating the key invalidates every token, including those of logged-in clients. Continue?';

export function RotateKey() {
  const { api } = useStores();
  const blocked = useApi((s) => rotateBlockedReason(s.status));
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<FormMessage | null>(null);

  async function rotate() {
    if (!window.confirm(ROTATE_QUESTION)) return;
    setBusy(true);
    setMessage(null);
    const result = await api.getState().rotateKey();
    setBusy(false);
    setMessage(
      result.ok
        ? { tone: 'success', text: 'A new JWT key was written. Every earlier token is now invalid.' }
        : { tone: 'error', text: result.error.message },
    );
  }

  return (
    <section className="section" aria-labelledby="rotate-heading">
      <h2 id="rotate-heading" className="section__title">
        JWT key
      </h2>
      <p className="section__intro">
        Writes a new key to the secrets file. Every token signed with the old key stops working.
      </p>
      <div className="form__actions">
        <button
          type="button"
          className="button button--danger-outline"
          disabled={blocked !== null || busy}
          onClick={() => void rotate()}
        >
          Rotate JWT key
        </button>
        {blocked && <span className="form__reason">{blocked}</span>}
      </div>
      <MessageLine message={message} />
    </section>
  );
}
