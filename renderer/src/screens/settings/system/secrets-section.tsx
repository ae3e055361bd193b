import { useState } from 'react';
import { MessageLine, type FormMessage } from '../../../components/notice';
import { useSecrets } from '../../../store/context';
import { lockSummary } from '../../../store/secrets/selectors';
import { UnlockForm } from './unlock-form';

/** The secrets file's lock (/system/hsm): its state, and Unlock when it is locked. Protection is set on the API tab. */
export function SecretsSection() {
  const lock = useSecrets((s) => s.lock);
  const loadError = useSecrets((s) => s.loadError);
  const [message, setMessage] = useState<FormMessage | null>(null);
  const summary = lock ? lockSummary(lock) : null;

  return (
    <section className="section" aria-labelledby="secrets-heading">
      <h2 id="secrets-heading" className="section__title">
        Secrets
      </h2>
      {loadError && <MessageLine message={{ tone: 'error', text: loadError.message }} />}
      {!summary && !loadError && <p role="status">Loading…</p>}
      {summary && (
        <p className="lock-state" data-testid="secrets-lock-state" data-state={summary.state}>
          <span className={`lock-badge lock-badge--${summary.state}`}>{summary.label}</span>
          <span>{summary.text}</span>
        </p>
      )}
      {summary?.state === 'locked' && (
        <UnlockForm idPrefix="system-unlock" onUnlocked={() => setMessage({ tone: 'success', text: 'Secrets file unlocked; the API starts with it.' })} />
      )}
      {summary && summary.state !== 'locked' && summary.state !== 'notConfigured' && (
        <p className="section__note">The passphrase is set or removed on the API tab (Secrets file passphrase).</p>
      )}
      <MessageLine message={message} />
    </section>
  );
}
