import { Notice } from '../../../components/notice';
import { useNotifications, useStores } from '../../../store/context';
import { testBlockedReason } from '../../../store/notifications/selectors';

/** "Send test mail" with the stored settings: it can take up to 15 s, so the wait shows and the button waits too. */
export function TestMail({ dirty }: { dirty: boolean }) {
  const { notifications } = useStores();
  const view = useNotifications((s) => s.view);
  const testing = useNotifications((s) => s.testing);
  const result = useNotifications((s) => s.testResult);
  const blocked = testBlockedReason(view, testing);
  const recipient = view?.settings.recipient ?? '';

  return (
    <section className="section" aria-labelledby="test-mail-heading">
      <h2 id="test-mail-heading" className="section__title">
        Test mail
      </h2>
      <p className="section__intro">
        Sends a mail {recipient ? <>to <strong>{recipient}</strong></> : 'to the recipient'} with the stored settings.
      </p>
      {dirty && <p className="field__warning">Save your changes first: the test uses the stored settings.</p>}
      <div className="form__actions">
        <button
          type="button"
          className="button button--primary"
          onClick={() => void notifications.getState().sendTestMail()}
          disabled={testing || blocked !== null}
          aria-busy={testing}
          aria-describedby={blocked ? 'test-mail-blocked' : undefined}
        >
          Send test mail
        </button>
        {blocked && (
          <span id="test-mail-blocked" className="form__reason">
            {blocked}
          </span>
        )}
        {testing && (
          <span role="status" className="test-mail__progress">
            <span className="spinner" aria-hidden="true" />
            Sending the test mail… this can take up to 15 seconds.
          </span>
        )}
      </div>
      {result && (
        <div data-testid="test-mail-result">
          <Notice tone={result.ok ? 'success' : 'error'}>{result.message}</Notice>
        </div>
      )}
    </section>
  );
}
