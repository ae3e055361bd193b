import { useEffect } from 'react';
import { useModal } from '../../components/use-modal';
import { mediaPaths, type CaptureEntry } from '../../../../shared/domain';
import { captureSummary } from '../../store/captures/selectors';

export interface CaptureViewerProps {
  entry: CaptureEntry | null;
  previous: string | null;
  next: string | null;
  admin: boolean;
  deleting: boolean;
  error: string | null;
  onNavigate(id: string): void;
  onDelete(entry: CaptureEntry): void;
  onClose(): void;
}

/**
 * One capture full size in a modal <dialog>: a photo fitted to the screen, a video playing in the panel; Download,
 * Delete (admins), Previous / Next (buttons and arrow keys), Escape to close.
 */
export function CaptureViewer({ entry, previous, next, admin, deleting, error, onNavigate, onDelete, onClose }: CaptureViewerProps) {
  const { ref, focusRef: closeRef } = useModal<HTMLButtonElement>(entry !== null, onClose);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const onKey = (event: KeyboardEvent) => {
      // Arrow keys inside the video's controls seek; elsewhere they page.
      if (event.target instanceof HTMLVideoElement || event.altKey || event.ctrlKey || event.metaKey) return;
      if (event.key === 'ArrowLeft' && previous) onNavigate(previous);
      else if (event.key === 'ArrowRight' && next) onNavigate(next);
      else return;
      event.preventDefault();
    };
    dialog.addEventListener('keydown', onKey);
    return () => dialog.removeEventListener('keydown', onKey);
  }, [ref, onNavigate, previous, next]);

  return (
    <dialog ref={ref} className="viewer" aria-labelledby="viewer-title" data-testid="capture-viewer">
      {entry && (
        <div className="viewer__body">
          <header className="viewer__header">
            <div className="viewer__title-block">
              <h2 id="viewer-title" className="viewer__title">
                {entry.name}
              </h2>
              <p className="viewer__meta">
                {captureSummary(entry)} · {new Date(entry.modifiedAt).toLocaleString()}
              </p>
            </div>
            <button ref={closeRef} type="button" className="button viewer__close" onClick={onClose} aria-label="Close">
              ✕
            </button>
          </header>
          <div className="viewer__media">
            {entry.kind === 'video' ? (
              <video key={entry.id} className="viewer__video" controls autoPlay muted playsInline src={mediaPaths.capture(entry.id)} />
            ) : entry.kind === 'raw' ? (
              // Browsers cannot show TIFF or DNG: the (cached) preview stands in; Download gets the file itself.
              <figure className="viewer__figure">
                <img key={entry.id} className="viewer__image" src={mediaPaths.thumbnail(entry.id)} alt={entry.name} />
                <figcaption className="viewer__note">A raw photo: shown here as a preview. Download it to open the full file.</figcaption>
              </figure>
            ) : (
              <img key={entry.id} className="viewer__image" src={mediaPaths.capture(entry.id)} alt={entry.name} />
            )}
          </div>
          {error && (
            <p className="notice notice--error viewer__error" role="alert">
              {error}
            </p>
          )}
          <footer className="viewer__actions">
            <button type="button" className="button" disabled={!previous} onClick={() => previous && onNavigate(previous)}>
              ‹ Previous
            </button>
            <button type="button" className="button" disabled={!next} onClick={() => next && onNavigate(next)}>
              Next ›
            </button>
            <span className="viewer__spacer" />
            <a className="button button--primary" href={mediaPaths.download(entry.id)} download={entry.name}>
              Download
            </a>
            {admin && (
              <button type="button" className="button button--danger-outline" disabled={deleting} onClick={() => onDelete(entry)}>
                {deleting ? 'Deleting…' : 'Delete'}
              </button>
            )}
          </footer>
        </div>
      )}
    </dialog>
  );
}
