import type { CameraState } from '../../../../shared/domain';
import { mediaPaths } from '../../../../shared/domain';
import type { PreviewConnection } from '../../media/preview-stream';
import { usePreview } from '../../media/use-preview';
import { RecordingTimer } from './recording-timer';

function connectionText(connection: PreviewConnection, camera: number): string | null {
  switch (connection.phase) {
    case 'streaming':
      return null;
    case 'connecting':
      return connection.attempt === 0 ? `Connecting to camera ${camera}…` : `Connecting to camera ${camera} again…`;
    case 'waiting':
      return `${connection.error}. Trying again in ${Math.max(1, Math.round(connection.retryInMs / 1000))} s.`;
  }
}

/**
 * One camera's live preview on a canvas (the frames never pass through React), with its frame rate and delay.
 * `data-testid="live-preview-<n>"` and the canvas's data-* attributes are what the tests read.
 */
export function LivePreview({ camera, size }: { camera: CameraState; size: 'large' | 'small' }) {
  const { stageRef, canvasRef, statsRef, connection } = usePreview(mediaPaths.preview(camera.num));
  const overlay = connectionText(connection, camera.num);
  const ratio = camera.width > 0 && camera.height > 0 ? camera.width / camera.height : 4 / 3;
  return (
    <figure className={`preview preview--${size}`}>
      <div ref={stageRef} className="preview__stage" style={{ ['--ratio' as string]: String(ratio) }}>
        <canvas
          ref={canvasRef}
          className="preview__canvas"
          data-testid={`live-preview-${camera.num}`}
          role="img"
          aria-label={`Camera ${camera.num} live preview`}
        />
        {overlay && (
          <p className="preview__overlay" role="status">
            {overlay}
          </p>
        )}
        {camera.recording && (
          <span className="preview__rec">
            <RecordingTimer startedAt={camera.recordingStartedAt} />
          </span>
        )}
      </div>
      <figcaption className="preview__caption">
        <span className="preview__name">Camera {camera.num}</span>
        <span className="preview__stats" ref={statsRef} aria-live="off" />
      </figcaption>
    </figure>
  );
}
