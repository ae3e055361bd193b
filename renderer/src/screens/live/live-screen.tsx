import { useEffect } from 'react';
import { Notice } from '../../components/notice';
import { useCamera, useSession, useStores } from '../../store/context';
import { isAdmin } from '../../store/session/selectors';
import { LiveControls } from './live-controls';
import { liveLayout } from './live-model';
import { LivePreview } from './live-preview';
import { PipelineStateView } from './pipeline-state';

/**
 * Live: the active camera's preview large with its controls beside it (short screens) or below, the other
 * cameras smaller, and the pipeline's state in words. Every logged-in user may watch and capture.
 * `onOpenCameraSettings` (optional) lets the empty state link to Settings → Camera.
 */
export function LiveScreen({ onOpenCameraSettings }: { onOpenCameraSettings?: () => void } = {}) {
  const stores = useStores();
  const status = useCamera((s) => s.status);
  const loadError = useCamera((s) => s.loadError);
  const admin = useSession(isAdmin);

  useEffect(() => {
    void stores.camera.getState().refresh();
  }, [stores]);

  if (!status) {
    return (
      <section className="live" aria-labelledby="live-title">
        <h1 id="live-title" className="visually-hidden">
          Live
        </h1>
        {loadError ? <Notice tone="error">The camera state cannot be read: {loadError.message}</Notice> : <p role="status">Loading the cameras…</p>}
      </section>
    );
  }

  const { active, others } = liveLayout(status);
  if (!active) {
    return (
      <section className="live live--empty" aria-labelledby="live-title">
        <h1 id="live-title">Live</h1>
        <div className="empty live-empty" data-testid="live-empty">
          <p className="live-empty__title">No camera is configured.</p>
          {admin ? (
            <p>
              Add one in <strong>Settings → Camera</strong>: a USB or Raspberry Pi camera, or the test camera.
              {onOpenCameraSettings && (
                <>
                  {' '}
                  <button type="button" className="button button--primary" onClick={onOpenCameraSettings}>
                    Open Settings → Camera
                  </button>
                </>
              )}
            </p>
          ) : (
            <p>An administrator adds cameras in Settings → Camera.</p>
          )}
        </div>
      </section>
    );
  }

  return (
    <section className={`live${others.length ? ' live--multi' : ''}`} aria-labelledby="live-title">
      <h1 id="live-title" className="visually-hidden">
        Live
      </h1>
      <div className="live__main">
        <LivePreview key={active.num} camera={active} size="large" />
      </div>
      <div className="live__side">
        <PipelineStateView status={status} camera={active} />
        <LiveControls status={status} camera={active} admin={admin} />
      </div>
      {others.length > 0 && (
        <div className="live__others" aria-label="Other cameras">
          {others.map((camera) => (
            <LivePreview key={camera.num} camera={camera} size="small" />
          ))}
        </div>
      )}
    </section>
  );
}
