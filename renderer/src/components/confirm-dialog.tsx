/**
 * The panel's own confirmation dialog, instead of the browser's confirm(): a modal <dialog> (focus stays
 * inside it, Escape cancels), the safe choice focused first, and focus back on what opened it when it closes.
 *
 *   const confirm = useConfirm();
 *   if (!(await confirm.ask({ title: 'Remove bob?', message: '…', confirmLabel: 'Remove' }))) return;
 *   …
 *   return <>{…}{confirm.dialog}</>;
 */
import { useCallback, useState, type ReactNode } from 'react';
import { useModal } from './use-modal';

export interface ConfirmOptions {
  title: string;
  message: ReactNode;
  confirmLabel: string;
  /** 'danger' for what cannot be undone (delete, revoke, rotate). */
  tone?: 'danger' | 'primary';
}

interface Pending extends ConfirmOptions {
  resolve(confirmed: boolean): void;
}

export function ConfirmDialog({ pending, onClose }: { pending: Pending | null; onClose(confirmed: boolean): void }) {
  const onCancel = useCallback(() => onClose(false), [onClose]);
  const { ref, focusRef: cancelRef } = useModal<HTMLButtonElement>(pending !== null, onCancel);

  return (
    <dialog ref={ref} className="dialog" aria-labelledby="confirm-title" aria-describedby="confirm-message">
      {pending && (
        <form
          method="dialog"
          className="dialog__body"
          onSubmit={(event) => {
            event.preventDefault();
            onClose(true);
          }}
        >
          <h2 id="confirm-title" className="dialog__title">
            {pending.title}
          </h2>
          <div id="confirm-message" className="dialog__message">
            {pending.message}
          </div>
          <div className="dialog__actions">
            <button ref={cancelRef} type="button" className="button" onClick={() => onClose(false)}>
              Cancel
            </button>
            <button type="submit" className={`button ${pending.tone === 'primary' ? 'button--primary' : 'button--danger'}`}>
              {pending.confirmLabel}
            </button>
          </div>
        </form>
      )}
    </dialog>
  );
}

/** A confirmation the caller awaits: true when confirmed, false when cancelled (button, Escape). */
export function useConfirm(): { ask(options: ConfirmOptions): Promise<boolean>; dialog: ReactNode } {
  const [pending, setPending] = useState<Pending | null>(null);
  const ask = useCallback(
    (options: ConfirmOptions) =>
      new Promise<boolean>((resolve) => {
        setPending((current) => {
          current?.resolve(false);
          return { ...options, resolve };
        });
      }),
    [],
  );
  const onClose = useCallback((confirmed: boolean) => {
    setPending((current) => {
      current?.resolve(confirmed);
      return null;
    });
  }, []);
  return { ask, dialog: <ConfirmDialog pending={pending} onClose={onClose} /> };
}
