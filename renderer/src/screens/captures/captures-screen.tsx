import { useCallback, useEffect, useRef, useState } from 'react';
import type { CaptureEntry } from '../../../../shared/domain';
import { useConfirm } from '../../components/confirm-dialog';
import { Notice } from '../../components/notice';
import { useCaptures, useSession, useStores } from '../../store/context';
import { cameraOptions, countText, hasMore, neighbours } from '../../store/captures/selectors';
import { isAdmin } from '../../store/session/selectors';
import { CaptureTile } from './capture-tile';
import { CaptureViewer } from './capture-viewer';

/**
 * Captures: the photos and videos in the photo directory, newest first, a page at a time; filter by camera;
 * open one full size (video plays), download it, delete it (admins). `captures-grid[data-ready]` marks the
 * first page as rendered (the benchmark's time to first paint).
 */
export function CapturesScreen() {
  const store = useStores().captures;
  const state = useCaptures((s) => s);
  const admin = useSession(isAdmin);
  const confirm = useConfirm();
  const [openId, setOpenId] = useState<string | null>(null);
  const [deleting, setDeleting] = useState(false);
  const [viewerError, setViewerError] = useState<string | null>(null);
  const gridRef = useRef<HTMLUListElement>(null);
  /** The tile to focus when the viewer closes: the one shown last. */
  const lastShown = useRef<string | null>(null);

  useEffect(() => {
    void store.getState().refresh();
  }, [store]);

  const open = useCallback((id: string) => {
    lastShown.current = id;
    setViewerError(null);
    setOpenId(id);
  }, []);

  const close = useCallback(() => {
    setOpenId(null);
    const id = lastShown.current;
    // After the dialog has closed: focus back on the tile that was shown (or the grid when it is gone).
    requestAnimationFrame(() => {
      const tile = [...(gridRef.current?.querySelectorAll<HTMLElement>('[data-testid="capture-tile"]') ?? [])].find((t) => t.dataset.id === id);
      (tile?.querySelector('button') ?? gridRef.current)?.focus();
    });
  }, []);

  const entry = openId ? (state.items.find((c) => c.id === openId) ?? null) : null;
  // Deleted elsewhere (another admin, the CLI) or filtered away: the viewer closes the usual way.
  const gone = openId !== null && entry === null && state.loaded;
  useEffect(() => {
    if (gone) close();
  }, [gone, close]);
  const around = openId ? neighbours(state.items, openId) : { previous: null, next: null };
  // At the last loaded item, Next loads the following page first ('…more' can never be a capture id).
  const next = around.next ?? (openId && hasMore(state) ? '…more' : null);

  const navigate = useCallback(
    async (id: string) => {
      if (id !== '…more') return open(id);
      const before = store.getState().items.length;
      await store.getState().loadMore();
      const following = store.getState().items[before];
      if (following) open(following.id);
    },
    [open, store],
  );

  async function remove(target: CaptureEntry) {
    const ok = await confirm.ask({ title: `Delete ${target.name}?`, message: 'This cannot be undone.', confirmLabel: 'Delete', tone: 'danger' });
    if (!ok) return;
    const { previous, next: following } = neighbours(store.getState().items, target.id);
    setDeleting(true);
    const result = await store.getState().deleteCapture(target.id);
    setDeleting(false);
    if (!result.ok) {
      setViewerError(result.error.message);
      return;
    }
    const stay = following ?? previous;
    if (stay) open(stay);
    else close();
  }

  const options = cameraOptions(state);
  const error = state.loadError;

  return (
    <section className="captures" aria-labelledby="captures-title">
      <header className="captures__header">
        <div className="captures__heading">
          <h1 id="captures-title" className="captures__title">
            Captures
          </h1>
          {state.photoDir && (
            <p className="captures__dir muted">
              <code>{state.photoDir}</code>
            </p>
          )}
        </div>
        <div className="captures__tools">
          <label className="captures__filter">
            <span>Camera</span>
            <select
              className="field__input captures__select"
              value={state.camera === null ? '' : String(state.camera)}
              onChange={(event) => void store.getState().setCamera(event.target.value === '' ? null : Number(event.target.value))}
            >
              {options.map((option) => (
                <option key={option.value} value={option.value}>
                  {option.label}
                </option>
              ))}
            </select>
          </label>
          {state.loaded && (
            <span className="captures__count muted" aria-live="polite">
              {countText(state)}
            </span>
          )}
        </div>
      </header>

      {error && <Notice tone="error">The captures cannot be listed: {error.message}</Notice>}
      {!state.loaded && !error && <p role="status">Loading the captures…</p>}
      {state.loaded && state.items.length === 0 && !error && (
        <p className="empty" data-testid="captures-empty">
          {state.camera === null
            ? 'No photos or videos yet. Take one on the Live screen.'
            : `Camera ${state.camera} has no photos or videos yet.`}
        </p>
      )}

      <ul
        ref={gridRef}
        tabIndex={-1}
        className="captures__grid"
        data-testid="captures-grid"
        data-ready={state.loaded ? 'true' : 'false'}
        aria-label="Photos and videos"
        aria-busy={state.loading && !state.loaded}
      >
        {state.items.map((item) => (
          <CaptureTile key={item.id} entry={item} onOpen={open} />
        ))}
      </ul>

      {hasMore(state) && (
        <div className="captures__more">
          <button type="button" className="button" disabled={state.loadingMore} onClick={() => void store.getState().loadMore()}>
            {state.loadingMore ? 'Loading…' : 'Show more'}
          </button>
        </div>
      )}

      <CaptureViewer
        entry={entry}
        previous={around.previous}
        next={next}
        admin={admin}
        deleting={deleting}
        error={viewerError}
        onNavigate={(id) => void navigate(id)}
        onDelete={(target) => void remove(target)}
        onClose={close}
      />
      {confirm.dialog}
    </section>
  );
}
