import { useCameraSettings, useStores } from '../../../store/context';
import { canAddCamera } from '../../../store/camera-settings/draft';
import { BACKEND_LABELS, configuredAs } from '../../../store/camera-settings/selectors';

/** "Detect cameras" and what it found, each with "Add" (as the next camera; Apply starts it). */
export function DetectedCameras({ onAdded, disabled }: { onAdded(num: number): void; disabled: boolean }) {
  const { cameraSettings } = useStores();
  const detected = useCameraSettings((s) => s.detected);
  const detecting = useCameraSettings((s) => s.detecting);
  const detectError = useCameraSettings((s) => s.detectError);
  const draft = useCameraSettings((s) => s.draft);
  const full = draft ? !canAddCamera(draft) : true;

  function add(index: number) {
    const camera = detected?.[index];
    const store = cameraSettings.getState();
    if (camera && store.addCamera(camera)) onAdded((store.draft?.cameras.length ?? 1) - 1);
  }

  return (
    <section className="detected" aria-labelledby="detected-heading">
      <div className="detected__head">
        <h3 id="detected-heading" className="detected__title">
          Detected cameras
        </h3>
        <button
          type="button"
          className="button"
          onClick={() => void cameraSettings.getState().detect()}
          disabled={detecting || disabled}
          aria-describedby="detect-hint"
        >
          Detect cameras
        </button>
        <span id="detect-hint" className="field__hint" role="status">
          {detecting ? 'Looking for cameras… this takes a few seconds.' : 'Looks for USB and Raspberry Pi cameras on this machine.'}
        </span>
      </div>
      {detectError && (
        <p className="field__error" role="alert">
          {detectError.message}
        </p>
      )}
      {detected && detected.length === 0 && <p className="empty">No camera found. The test pattern always works: Add camera adds one.</p>}
      {detected && detected.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Backend</th>
                <th scope="col">Device</th>
                <th scope="col">Model</th>
                <th scope="col" className="table__actions">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {detected.map((camera, index) => {
                const as = configuredAs(draft, camera.backend, camera.device);
                return (
                  <tr key={`${camera.backend}:${camera.device}`}>
                    <td>{BACKEND_LABELS[camera.backend]}</td>
                    <td>
                      <code>{camera.device}</code>
                    </td>
                    <td className="detected__model">{camera.model || '—'}</td>
                    <td className="table__actions">
                      {as !== null ? (
                        <span className="muted nowrap">Camera {as}</span>
                      ) : (
                        <button type="button" className="button" onClick={() => add(index)} disabled={full || disabled}>
                          Add
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
