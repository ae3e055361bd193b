import { useEffect, useState } from 'react';
import { useConfirm } from '../../components/confirm-dialog';
import { MessageLine, type FormMessage } from '../../components/notice';
import { StatusBanner } from '../../components/status-banner';
import { useApi, useSecrets, useStores } from '../../store/context';
import { ApiSettingsForm } from './api/api-settings-form';
import { GenerateToken } from './api/generate-token';
import { RotateKey } from './api/rotate-key';
import { SecretsPassphrase } from './api/secrets-passphrase';
import { TokensList } from './api/tokens-list';
import { UnlockForm } from './system/unlock-form';

/** What the confirmation says before a new key is written to the secrets file. */
export const NEW_KEY_QUESTION =
  'Every listed token ends, and every client must log in again or get a new token. ' +
  'If the file was only moved, cancel and point at it instead.';

/** Focus the path field and select its text, so the right path can be typed over it. */
function focusSecretsPath(): void {
  const field = document.getElementById('api-secrets-path');
  if (!(field instanceof HTMLInputElement)) return;
  field.scrollIntoView({ block: 'center' });
  field.focus();
  field.select();
}

/** Settings → API, after the seed: status banner first, the explanations folded, JWT form, one-time token, tokens. */
export function ApiTab() {
  const { api, secrets } = useStores();
  const status = useApi((s) => s.status);
  const locked = useSecrets((s) => s.lock?.locked ?? false);
  const statusError = useApi((s) => s.statusError);
  const [restarting, setRestarting] = useState(false);
  const [creatingKey, setCreatingKey] = useState(false);
  const [message, setMessage] = useState<FormMessage | null>(null);
  const confirm = useConfirm();

  useEffect(() => {
    void api.getState().refreshStatus();
    void api.getState().refreshTokens();
    void secrets.getState().refresh();
  }, [api, secrets]);

  async function restart() {
    setRestarting(true);
    setMessage(null);
    const result = await api.getState().restartApi();
    await api.getState().refreshStatus();
    setRestarting(false);
    if (!result.ok) setMessage({ tone: 'error', text: result.error.message });
  }

  async function createKey() {
    if (!(await confirm.ask({ title: 'Create a new JWT key in the secrets file?', message: NEW_KEY_QUESTION, confirmLabel: 'Create new key' }))) return;
    setCreatingKey(true);
    setMessage(null);
    const result = await api.getState().rotateKey();
    setCreatingKey(false);
    const path = result.ok ? result.value.resolvedSecretsPath : null;
    setMessage(
      result.ok
        ? { tone: 'success', text: `A new JWT key was written to ${path ?? 'the secrets file'}. Every earlier token has ended.` }
        : { tone: 'error', text: result.error.message },
    );
  }

  const recommended = status?.recommendedPath ?? '~/.secrets/campanel.secrets';

  return (
    <div className="stack">
      <section className="section section--api" aria-labelledby="api-heading">
        <h2 id="api-heading" className="section__title">
          API Settings
        </h2>
        {/* Sticky: Restart API stays in view while the form below is filled in and submitted. */}
        <div className="sticky-status">
          {status?.banner && (
            <StatusBanner
              banner={status.banner}
              onRestart={() => void restart()}
              restarting={restarting}
              onChoosePath={focusSecretsPath}
              onCreateKey={() => void createKey()}
              creatingKey={creatingKey}
            />
          )}
          {statusError && <MessageLine message={{ tone: 'error', text: statusError.message }} />}
          <MessageLine message={message} />
        </div>
        {/* Right under the status it explains: a locked secrets file is why the API is inactive. */}
        {locked && (
          <div className="unlock-box" role="group" aria-labelledby="unlock-heading">
            <h3 id="unlock-heading" className="unlock-box__title">
              Unlock the secrets file
            </h3>
            <p>
              The secrets file is protected with a passphrase and has not been unlocked since CamPanel started, so the API
              cannot read its JWT key. Enter the passphrase to start the API.
            </p>
            <UnlockForm
              idPrefix="api-unlock"
              onUnlocked={() => setMessage({ tone: 'success', text: 'Secrets file unlocked.' })}
            />
          </div>
        )}
        <details className="about">
          <summary>About these settings</summary>
          <div className="prose">
            <p>API access to the CamPanel server is secured through JSON Web Tokens (JWT).</p>
            <p>
              JWT requires a secret private key for signing tokens. CamPanel stores this key in a secrets file and never
              publishes it in configuration exports. To enable API access, specify the path of the secrets file; when
              you submit a new path, the folder and the file are created if they do not exist. It is recommended to use
              the following path: <code>{recommended}</code>
            </p>
            <p>Token expiration is optional: 0 means the token does not expire.</p>
          </div>
        </details>
        <ApiSettingsForm />
      </section>
      <GenerateToken />
      <TokensList />
      <RotateKey />
      <SecretsPassphrase />
      {confirm.dialog}
    </div>
  );
}
