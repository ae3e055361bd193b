import { useEffect, useState, type FormEvent } from 'react';
import { LIMITS } from '../../../../../shared/domain';
import { copySecret } from '../../../client/clipboard';
import { Field } from '../../../components/field';
import { MessageLine, type FormMessage } from '../../../components/notice';
import { useApi, useStores } from '../../../store/context';
import { generateBlockedReason } from '../../../store/api/selectors';

/** The token leaves the screen (and memory) after this long without pointer or key activity. */
export const TOKEN_IDLE_MS = 5 * 60_000;

/**
 * "Generate Access Token": a non-expiring token shown once. It lives only in this component's
 * state, so leaving the tab or reloading drops it; nothing else keeps it.
 */
export function GenerateToken() {
  const { api, client } = useStores();
  const blocked = useApi((s) => generateBlockedReason(s.status));
  const [label, setLabel] = useState('');
  const [token, setToken] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<FormMessage | null>(null);

  useEffect(() => {
    if (token === null) return;
    let timer = setTimeout(expire, TOKEN_IDLE_MS);
    function expire() {
      setToken(null);
      setCopied(false);
      setMessage({ tone: 'info', text: 'The token was removed from the screen after 5 minutes without activity.' });
    }
    function onActivity() {
      clearTimeout(timer);
      timer = setTimeout(expire, TOKEN_IDLE_MS);
    }
    const events = ['pointerdown', 'pointermove', 'keydown', 'wheel'] as const;
    for (const name of events) window.addEventListener(name, onActivity, { passive: true });
    return () => {
      clearTimeout(timer);
      for (const name of events) window.removeEventListener(name, onActivity);
    };
  }, [token]);

  async function generate(event: FormEvent) {
    event.preventDefault();
    setMessage(null);
    setCopied(false);
    setBusy(true);
    const result = await api.getState().generateToken(label.trim());
    setBusy(false);
    if (result.ok) {
      setToken(result.value.token);
      setLabel('');
    } else {
      setMessage({ tone: 'error', text: result.error.fields?.label ?? result.error.message });
    }
  }

  async function copy() {
    if (token === null) return;
    const result = await copySecret(client, token);
    if (result.ok) setCopied(true);
    else setMessage({ tone: 'error', text: result.error.message });
  }

  function done() {
    setToken(null);
    setCopied(false);
    setMessage(null);
  }

  return (
    // No aria-labelledby here: the heading starts with "Access token", the one-time field's label.
    <section className="section">
      <h2 className="section__title">
        Access token for clients that cannot refresh
      </h2>
      <p className="section__intro">
        Clients that cannot log in and refresh their tokens can use an access token generated here. It does not expire,
        it is shown only once and never stored, and you can revoke it below in Tokens.
      </p>
      {token === null ? (
        <form className="form" onSubmit={generate} noValidate>
          <Field
            id="token-label"
            label="Label"
            value={label}
            onValueChange={setLabel}
            maxLength={LIMITS.label}
            autoComplete="off"
            hint="Optional: who or what uses the token, e.g. “garden camera script”."
          />
          <div className="form__actions">
            <button
              type="submit"
              className="button button--primary"
              disabled={busy || blocked !== null}
              aria-describedby={blocked ? 'generate-blocked' : undefined}
            >
              Generate Access Token
            </button>
            {blocked && (
              <span id="generate-blocked" className="form__reason">
                {blocked}
              </span>
            )}
          </div>
        </form>
      ) : (
        <div className="token">
          <label htmlFor="one-time-token" className="field__label">
            Access token
          </label>
          <textarea
            id="one-time-token"
            className="token__value"
            readOnly
            rows={5}
            value={token}
            spellCheck={false}
            aria-describedby="one-time-token-hint"
            onFocus={(e) => e.currentTarget.select()}
          />
          <p id="one-time-token-hint" className="token__warning">
            This token is shown only once. Store it now.
          </p>
          <div className="form__actions">
            <button type="button" className="button button--primary" onClick={() => void copy()}>
              Copy to clipboard
            </button>
            <button type="button" className="button" onClick={done}>
              Done
            </button>
            {copied && (
              <span role="status" className="token__copied">
                Copied
              </span>
            )}
          </div>
          {copied && (
            <p className="field__hint">
              The clipboard is cleared after 60 seconds if it still holds the token.
            </p>
          )}
        </div>
      )}
      <MessageLine message={message} />
    </section>
  );
}
