import type { CameraState, PipelineState } from '../../../../shared/domain';
import { pipelineSummary } from '../../store/camera/selectors';
import { cameraProblem } from './live-model';
import { useNow } from './use-now';

/** The pipeline's state in words (running: fps, size, clients; restarting: attempt, next try; failed: stage and stderr). */
export function PipelineStateView({ status, camera }: { status: PipelineState; camera: CameraState | null }) {
  // Ticks only while a countdown is shown.
  const now = useNow(1000, status.state === 'restarting');
  const summary = pipelineSummary(status, now);
  const problem = cameraProblem(camera, status);
  const stderr = problem?.stderr ?? summary.stderr;
  return (
    <div className={`live-state live-state--${summary.tone}`} role="status" data-testid="pipeline-state" data-state={status.state}>
      <p className="live-state__line">
        <span className="live-state__dot" aria-hidden="true" />
        {/* The words start with the state (Running, Idle, …), so colour is never the only signal. */}
        <span className="live-state__text">{summary.text}</span>
      </p>
      {problem && <p className="live-state__line live-state__problem">{problem.text}</p>}
      {stderr.length > 0 && (
        <pre className="live-state__stderr" aria-label="Last lines the camera process wrote">
          {stderr.join('\n')}
        </pre>
      )}
    </div>
  );
}
