import { useState } from 'react';
import { useConfirm } from '../../../components/confirm-dialog';
import { MessageLine, type FormMessage } from '../../../components/notice';
import { useApi, useStores } from '../../../store/context';
import { rotateBlockedReason } from '../../../store/api/selectors';

/** What the confirmation says: rotating ends every token, logged-in clients included. */
export const ROTATE_QUESTION = 'Rotating the key invalidates every token, including those of logged-in clients.';

export function RotateKey() {
  const { api } = useStores();
  const blocked = useApi((s) => rotateBlockedReason(s.status));
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<FormMessage | null>(null);
  const confirm = useConfirm();

  async function rotate() {
    if (!(await confirm.ask({ title: 'Rotate the JWT key?', message: ROTATE_QUESTION, confirmLabel: 'Rotate key' }))) return;
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
      {confirm.dialog}
    </section>
  );
}
