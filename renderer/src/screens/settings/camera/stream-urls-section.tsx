import { useEffect, useState } from 'react';
import { LIMITS } from '../../../../../shared/domain';
import { copySecret } from '../../../client/clipboard';
import { Field } from '../../../components/field';
import { useApi, useCameraSettings, useSession, useSettings, useStores } from '../../../store/context';
import { formatTimestamp, tokensNewestFirst } from '../../../store/api/selectors';
import { isDirty } from '../../../store/camera-settings/store';
import { basicAuthExample, streamBase, streamUrls, type StreamAuth } from '../../../store/camera-settings/stream-urls';
import { SelectField } from './select-field';

const page = () => (typeof window === 'undefined' ? null : { protocol: window.location.protocol, hostname: window.location.hostname });

/** The URLs other software uses for the streams and snapshots, with Copy; the ?token= form when a token is chosen. */
export function StreamUrlsSection() {
  const { api, client } = useStores();
  const apiSettings = useSettings((s) => s.view?.settings.api ?? null);
  const status = useApi((s) => s.status);
  const tokens = useApi((s) => s.tokens);
  const stored = useCameraSettings((s) => s.settings);
  const dirty = useCameraSettings(isDirty);
  const user = useSession((s) => s.session?.user?.name ?? null);
  const [jti, setJti] = useState('');
  // Pasted by the user to complete the URLs; lives in this component only, never sent or stored.
  const [token, setToken] = useState('');
  const [copied, setCopied] = useState<string | null>(null);
  const [copyError, setCopyError] = useState<string | null>(null);

  useEffect(() => {
    void api.getState().refreshTokens();
  }, [api]);
  useEffect(() => {
    if (copied === null) return;
    const timer = setTimeout(() => setCopied(null), 4000);
    return () => clearTimeout(timer);
  }, [copied]);
  // A revoked token leaves the list; its choice (and a pasted value) leave with it.
  useEffect(() => {
    if (jti !== '' && !tokens.some((t) => t.jti === jti)) {
      setJti('');
      setToken('');
    }
  }, [jti, tokens]);

  const base = streamBase(apiSettings, status, page());
  const requireAuth = stored?.requireAuthForStreaming ?? true;
  const auth: StreamAuth = !requireAuth ? { mode: 'open' } : jti ? { mode: 'token', token: token || null } : { mode: 'credentials' };
  const urls = base.state === 'running' && stored ? streamUrls(base.origin, stored.cameras.length, stored.activeCamera, auth) : [];

  async function copy(id: string, url: string) {
    setCopyError(null);
    const result = await copySecret(client, url);
    if (result.ok) setCopied(id);
    else setCopyError(result.error.message);
  }

  return (
    <section className="section" aria-labelledby="stream-urls-heading">
      <h2 id="stream-urls-heading" className="section__title">
        Stream and snapshot URLs
      </h2>
      {base.state === 'loading' && <p role="status">Loading the API’s address…</p>}
      {base.state === 'notRunning' && (
        <p className="notice notice--warning">
          The API is not running. Streams and snapshots are served on the API’s port ({base.port}): allow API access on the
          General tab and start the API on the API tab.
        </p>
      )}
      {base.state === 'running' && (
        <>
          <div className="section__note prose">
            {base.otherMachines === 'useMachineAddress' && (
              <p>
                Other machines use this machine’s address instead of 127.0.0.1
                {base.lanOrigins.length > 0 ? <>, e.g. <code>{base.lanOrigins[0]}</code></> : ''}.
              </p>
            )}
            {base.otherMachines === 'unreachable' && (
              <p>The API listens on this machine only: other machines cannot open these URLs (API host on the API tab).</p>
            )}
            {base.restartPending && <p>The API runs with earlier settings until it is restarted; these URLs use the stored host and port.</p>}
            {dirty && <p>The URLs follow the applied settings; Apply to include your changes.</p>}
          </div>
          {requireAuth ? (
            <div className="stream-auth">
              <SelectField
                id="stream-token"
                label="Stream token"
                value={jti}
                options={[
                  { value: '', label: tokens.length === 0 ? 'No generated tokens' : 'None (HTTP Basic or a header)' },
                  ...tokensNewestFirst(tokens).map((t) => ({
                    value: t.jti,
                    label: `${t.label || '(no label)'} · ${t.owner} · ${formatTimestamp(t.createdAt)}`,
                  })),
                ]}
                onValueChange={(value) => {
                  setJti(value);
                  setToken('');
                }}
                hint={
                  tokens.length === 0
                    ? 'Generate a token for clients on the API tab, then choose it here for the ?token= form.'
                    : 'A generated token gives the ?token= form of the URLs.'
                }
              />
              {jti !== '' && (
                <Field
                  id="stream-token-value"
                  label="Token value"
                  type="password"
                  autoComplete="off"
                  spellCheck={false}
                  maxLength={LIMITS.token}
                  value={token}
                  onValueChange={setToken}
                  hint="The token was shown once, when it was generated. Paste it to complete the URLs; it stays on this screen and is never sent or stored."
                />
              )}
              <p className="field__hint">
                Home Assistant and other clients can also send a user’s name and password (HTTP Basic):{' '}
                <code>{basicAuthExample(base.origin, user)}</code>
              </p>
            </div>
          ) : (
            <p className="section__note">Streaming is open: these URLs work without credentials for anyone who can reach the API port.</p>
          )}
          {urls.length === 0 ? (
            <p className="empty">No camera is configured.</p>
          ) : (
            <ul className="stream-urls">
              {urls.map((u) => (
                <li key={u.id} className="stream-urls__row">
                  <span className="stream-urls__label">{u.label}</span>
                  <code id={`stream-url-${u.id}`} className="stream-urls__url">
                    {u.url}
                  </code>
                  <span className="stream-urls__copy">
                    <button type="button" className="button" onClick={() => void copy(u.id, u.url)} aria-describedby={`stream-url-${u.id}`}>
                      Copy
                    </button>
                    {copied === u.id && (
                      <span role="status" className="token__copied">
                        Copied
                      </span>
                    )}
                  </span>
                </li>
              ))}
            </ul>
          )}
          {copyError && (
            <p className="field__error" role="alert">
              {copyError}
            </p>
          )}
          <p className="field__hint">Copied URLs leave the clipboard after 60 seconds, as they may hold a token.</p>
        </>
      )}
    </section>
  );
}
