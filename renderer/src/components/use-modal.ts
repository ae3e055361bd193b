/**
 * A <dialog> shown modally while `open` is true: focus moves to `focusRef` when it opens, Escape calls
 * `onCancel` (the owner closes it through its own state, so focus can go back where the owner wants), and
 * the element that had focus before it opened gets it back when it closes.
 */
import { useEffect, useRef } from 'react';

export function useModal<F extends HTMLElement>(open: boolean, onCancel: () => void) {
  const ref = useRef<HTMLDialogElement>(null);
  const focusRef = useRef<F>(null);
  const opener = useRef<HTMLElement | null>(null);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      dialog.showModal();
      focusRef.current?.focus();
    } else if (!open && dialog.open) {
      dialog.close();
      const target = opener.current;
      opener.current = null;
      if (target?.isConnected) target.focus();
    }
  }, [open]);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const cancel = (event: Event) => {
      event.preventDefault();
      onCancel();
    };
    dialog.addEventListener('cancel', cancel);
    return () => dialog.removeEventListener('cancel', cancel);
  }, [onCancel]);

  return { ref, focusRef };
}
