import { useCamera } from '../../store/context';
import { activeCameraText, pipelineLabel, pipelineTone } from '../../store/camera/selectors';

/** The active camera and the pipeline's state as a coloured dot with its word (colour is never the only signal). */
export function PipelineIndicator() {
  const status = useCamera((s) => s.status);
  const loadError = useCamera((s) => s.loadError);
  const phase = status?.state ?? null;
  const tone = phase ? pipelineTone(phase) : 'idle';
  const label = phase ? pipelineLabel(phase) : loadError ? 'Unknown' : '…';
  const long = activeCameraText(status);
  return (
    <div className="pipeline" data-testid="pipeline-indicator" data-state={phase ?? 'unknown'} title={`${long}: ${label}`}>
      <span className={`pipeline__dot pipeline__dot--${tone}`} aria-hidden="true" />
      <span className="pipeline__state">{label}</span>
      <span className="pipeline__camera pipeline__camera--long" data-testid="active-camera">
        {long}
      </span>
      <span className="pipeline__camera pipeline__camera--short">{activeCameraText(status, true)}</span>
    </div>
  );
}
