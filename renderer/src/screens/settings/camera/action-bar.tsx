import { Notice } from '../../../components/notice';
import { useCameraSettings } from '../../../store/context';
import { applyErrorText, appliedMessage } from '../../../store/camera-settings/selectors';
import { isDirty } from '../../../store/camera-settings/store';

/** Sticky at the bottom of the tab: what the last Apply did, and Revert / Apply, always in reach. */
export function ActionBar({ onApply, onRevert }: { onApply(): void; onRevert(): void }) {
  const loaded = useCameraSettings((s) => s.draft !== null);
  const dirty = useCameraSettings(isDirty);
  const applying = useCameraSettings((s) => s.applying);
  const lastApplied = useCameraSettings((s) => s.lastApplied);
  const camerasBefore = useCameraSettings((s) => s.camerasBeforeApply);
  const applyError = useCameraSettings((s) => s.applyError);
  const draft = useCameraSettings((s) => s.draft);
  const changedElsewhere = useCameraSettings((s) => s.changedElsewhere);

  let message = null;
  if (applying) message = <span role="status">Applying… cameras whose settings changed restart.</span>;
  else if (applyError) message = <Notice tone="error">{applyErrorText(applyError, draft)}</Notice>;
  else if (lastApplied) message = <Notice tone="success">{appliedMessage(lastApplied, camerasBefore)}</Notice>;
  else if (changedElsewhere) {
    message = (
      <Notice tone="warning">
        Changed elsewhere (another window or the command line). Your edits are kept: Apply stores them, Revert loads the new values.
      </Notice>
    );
  } else if (dirty) message = <span className="camera-actions__dirty">Unsaved changes.</span>;

  return (
    <div className="camera-actions" role="group" aria-label="Camera settings actions">
      <div className="camera-actions__message" data-testid="camera-apply-result">
        {message}
      </div>
      <div className="camera-actions__buttons">
        <button type="button" className="button" onClick={onRevert} disabled={!dirty || applying}>
          Revert
        </button>
        <button type="button" className="button button--primary" onClick={onApply} disabled={!loaded || !dirty || applying} aria-busy={applying}>
          Apply
        </button>
      </div>
    </div>
  );
}
