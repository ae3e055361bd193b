import { useEffect, useState } from 'react';
import { copyText } from '../../../client/clipboard';

/** "Copy" with a short "Copied" status beside it, or why copying failed. */
export function CopyButton({ text, label = 'Copy', describedBy }: { text: string; label?: string; describedBy?: string }) {
  const [state, setState] = useState<{ copied: true } | { error: string } | null>(null);

  useEffect(() => {
    if (state === null || !('copied' in state)) return;
    const timer = setTimeout(() => setState(null), 4000);
    return () => clearTimeout(timer);
  }, [state]);
  // What was copied is stale once the text changes (a new key).
  useEffect(() => setState(null), [text]);

  async function copy() {
    const result = await copyText(text);
    setState(result.ok ? { copied: true } : { error: result.error.message });
  }

  return (
    <span className="copy">
      <button type="button" className="button" onClick={() => void copy()} aria-describedby={describedBy}>
        {label}
      </button>
      {state && 'copied' in state && (
        <span role="status" className="token__copied">
          Copied
        </span>
      )}
      {state && 'error' in state && (
        <span role="alert" className="field__error">
          {state.error}
        </span>
      )}
    </span>
  );
}
