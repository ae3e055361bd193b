/** Settings → Camera (admins): every camera setting, the detected cameras, and the URLs clients use. */
import { useEffect } from 'react';
import { Notice } from '../../../components/notice';
import { useCameraSettings, useStores } from '../../../store/context';
import { placedFieldKeys } from '../../../store/camera-settings/selectors';
import { ActionBar } from './action-bar';
import { CamerasSection } from './cameras-section';
import { CaptureOptions } from './capture-options';
import { firstWrong, focusFieldByKey } from './field-ids';
import { StreamUrlsSection } from './stream-urls-section';

export function CameraTab() {
  const { cameraSettings } = useStores();
  const loaded = useCameraSettings((s) => s.draft !== null);
  const loadError = useCameraSettings((s) => s.loadError);
  const applying = useCameraSettings((s) => s.applying);

  useEffect(() => {
    void cameraSettings.getState().refresh();
  }, [cameraSettings]);

  async function apply() {
    const result = await cameraSettings.getState().apply();
    if (result.ok) return;
    const { draft, fieldErrors } = cameraSettings.getState();
    const first = draft ? firstWrong(placedFieldKeys(draft), fieldErrors) : null;
    if (first) focusFieldByKey(first);
  }

  return (
    <div className="camera-settings stack">
      {loadError && <Notice tone="error">{loadError.message}</Notice>}
      {!loaded && !loadError && <p role="status">Loading camera settings…</p>}
      {loaded && (
        <>
          <CamerasSection disabled={applying} />
          <CaptureOptions disabled={applying} />
        </>
      )}
      <StreamUrlsSection />
      {loaded && <ActionBar onApply={() => void apply()} onRevert={() => cameraSettings.getState().revert()} />}
    </div>
  );
}
