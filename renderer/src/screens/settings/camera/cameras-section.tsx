import { useState } from 'react';
import { CAMERA_LIMITS } from '../../../../../shared/domain';
import { useConfirm } from '../../../components/confirm-dialog';
import { Notice } from '../../../components/notice';
import { useCameraSettings, useStores } from '../../../store/context';
import { canAddCamera } from '../../../store/camera-settings/draft';
import { cameraSummary } from '../../../store/camera-settings/selectors';
import { CameraCard } from './camera-card';
import { DetectedCameras } from './detected-cameras';
import { fieldId } from './field-ids';
import { SelectField } from './select-field';

/** Configured cameras (cards), which one is active, adding and removing, and detection. */
export function CamerasSection({ disabled }: { disabled: boolean }) {
  const { cameraSettings } = useStores();
  const draft = useCameraSettings((s) => s.draft);
  const errors = useCameraSettings((s) => s.fieldErrors);
  const detected = useCameraSettings((s) => s.detected);
  const [note, setNote] = useState<string | null>(null);
  const confirm = useConfirm();
  if (!draft) return null;

  const added = (num: number) => setNote(`Added as Camera ${num}. Apply to start it.`);

  async function remove(num: number) {
    setNote(null);
    const count = draft?.cameras.length ?? 0;
    const confirmed = await confirm.ask({
      title: `Remove Camera ${num}?`,
      message:
        num < count - 1
          ? `It stops when you apply. The cameras after it move up one number (Camera ${num + 1} becomes Camera ${num}), and so do their stream URLs.`
          : 'It stops when you apply.',
      confirmLabel: 'Remove',
    });
    if (!confirmed) return;
    cameraSettings.getState().removeCamera(num);
    setNote(`Camera ${num} removed from the form. Apply to stop it, or Revert to keep it.`);
  }

  const full = !canAddCamera(draft);
  const activeOptions = draft.cameras.map((c, num) => ({ value: String(num), label: `Camera ${num} · ${cameraSummary(c)}` }));

  return (
    <section className="section" aria-labelledby="cameras-heading">
      <h2 id="cameras-heading" className="section__title">
        Cameras
      </h2>
      <p className="section__note">
        Changes take effect when you Apply; only the cameras whose own settings changed restart.
      </p>
      {draft.cameras.length === 0 ? (
        <p className="empty">No camera is configured. Add one, or detect the cameras of this machine.</p>
      ) : (
        <SelectField
          id={fieldId('activeCamera')}
          label="Active camera"
          value={String(draft.activeCamera)}
          options={activeOptions}
          onValueChange={(value) => cameraSettings.getState().setOption('activeCamera', Number(value))}
          hint="/video_feed and Take photo use it; the next camera is the second one (/video_feed2)."
          error={errors.activeCamera}
          disabled={disabled}
        />
      )}
      {errors.cameras && (
        <p className="field__error" id={fieldId('cameras')}>
          {errors.cameras}
        </p>
      )}
      <div className="camera-cards">
        {draft.cameras.map((camera, num) => (
          <CameraCard
            // Cameras are their number: after a removal the next one takes the number and the card.
            key={num}
            num={num}
            camera={camera}
            active={num === draft.activeCamera}
            errors={errors}
            detected={detected}
            disabled={disabled}
            onRemove={(n) => void remove(n)}
          />
        ))}
      </div>
      <div className="button-row">
        <button
          type="button"
          className="button"
          onClick={() => {
            if (cameraSettings.getState().addCamera()) added(draft.cameras.length);
          }}
          disabled={full || disabled}
          aria-describedby="add-camera-hint"
        >
          Add camera
        </button>
        <span id="add-camera-hint" className="field__hint">
          {full ? `At most ${CAMERA_LIMITS.cameras} cameras.` : 'Adds a test pattern camera; change its backend and device, or add a detected camera below.'}
        </span>
      </div>
      {note && <Notice tone="info">{note}</Notice>}
      <DetectedCameras onAdded={added} disabled={disabled} />
      {confirm.dialog}
    </section>
  );
}
