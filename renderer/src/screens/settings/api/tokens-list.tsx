import { useState } from 'react';
import { useConfirm } from '../../../components/confirm-dialog';
import { MessageLine, type FormMessage } from '../../../components/notice';
import { useApi, useStores } from '../../../store/context';
import { formatTimestamp, tokensNewestFirst } from '../../../store/api/selectors';

/** Generated tokens (their records only: the tokens themselves are never stored). */
export function TokensList() {
  const { api } = useStores();
  const tokens = useApi((s) => s.tokens);
  const loaded = useApi((s) => s.tokensLoaded);
  const loadError = useApi((s) => s.tokensError);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<FormMessage | null>(null);
  const confirm = useConfirm();

  async function revoke(jti: string, label: string) {
    const name = label ? `“${label}”` : 'without a label';
    const confirmed = await confirm.ask({
      title: `Revoke the token ${name}?`,
      message: 'Clients using it are refused at once.',
      confirmLabel: 'Revoke',
    });
    if (!confirmed) return;
    setBusy(true);
    setMessage(null);
    const result = await api.getState().revokeToken(jti);
    setBusy(false);
    setMessage(
      result.ok
        ? { tone: 'success', text: `Token ${label || jti} revoked. The API refuses it from now on.` }
        : { tone: 'error', text: result.error.message },
    );
  }

  const rows = tokensNewestFirst(tokens);
  return (
    <section className="section" aria-labelledby="tokens-heading">
      <h2 id="tokens-heading" className="section__title">
        Tokens
      </h2>
      {loadError && <MessageLine message={{ tone: 'error', text: loadError.message }} />}
      {loaded && rows.length === 0 && <p className="empty">No access tokens have been generated.</p>}
      {rows.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Label</th>
                <th scope="col">Owner</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((t) => (
                <tr key={t.jti}>
                  <td className="table__name">{t.label || <span className="muted">(no label)</span>}</td>
                  <td className="table__name">{t.owner}</td>
                  <td>{formatTimestamp(t.createdAt)}</td>
                  <td>{formatTimestamp(t.lastUsedAt)}</td>
                  <td className="table__actions">
                    <button
                      type="button"
                      className="button button--small"
                      disabled={busy}
                      onClick={() => void revoke(t.jti, t.label)}
                    >
                      Revoke
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <MessageLine message={message} />
      {confirm.dialog}
    </section>
  );
}
