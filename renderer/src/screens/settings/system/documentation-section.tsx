import { useState } from 'react';
import { MessageLine, type FormMessage } from '../../../components/notice';
import { useStores } from '../../../store/context';
import { downloadText } from '../../../client/download';

/** /system/documentation from the panel: this installation described in reStructuredText, secrets left out. */
export function DocumentationSection() {
  const { system } = useStores();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<FormMessage | null>(null);

  async function download() {
    setMessage(null);
    setBusy(true);
    const result = await system.getState().documentation();
    setBusy(false);
    if (!result.ok) return setMessage({ tone: 'error', text: result.error.message });
    const fileName = result.value.fileName || 'documentation.rst';
    downloadText(fileName, result.value.text);
    setMessage({ tone: 'success', text: `Downloaded ${fileName}.` });
  }

  return (
    <section className="section" aria-labelledby="documentation-heading">
      <h2 id="documentation-heading" className="section__title">
        Documentation
      </h2>
      <p className="section__intro">
        This installation in one file (reStructuredText): node, API settings, users and roles, config entries, cameras and
        notifications. Passwords and keys are left out.
      </p>
      <div className="form__actions">
        <button type="button" className="button" onClick={() => void download()} disabled={busy}>
          Download documentation
        </button>
      </div>
      <MessageLine message={message} />
    </section>
  );
}
