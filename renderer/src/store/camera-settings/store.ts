/** Settings → Camera: the stored camera settings, the detected cameras, and applying a change. */
import { createStore } from 'zustand/vanilla';
import type { PanelClient, PanelErrorBody, Result } from '../../../../shared/contract';
import type { AppliedCameraSettings, CameraSettings, DetectedCameraView } from '../../../../shared/domain';

export interface CameraSettingsStoreState {
  settings: CameraSettings | null;
  detected: DetectedCameraView[] | null;
  loadError: PanelErrorBody | null;
  refresh(): Promise<void>;
  detect(): Promise<void>;
  apply(next: CameraSettings): Promise<Result<AppliedCameraSettings>>;
}

export function createCameraSettingsStore(client: PanelClient) {
  return createStore<CameraSettingsStoreState>()((set) => ({
    settings: null,
    detected: null,
    loadError: null,
    async refresh() {
      const result = await client.cameraSettings({});
      if (result.ok) set({ settings: result.value, loadError: null });
      else set({ loadError: result.error });
    },
    async detect() {
      const result = await client.detectCameras({});
      if (result.ok) set({ detected: result.value });
      else set({ loadError: result.error });
    },
    async apply(next) {
      const result = await client.applyCameraSettings(next);
      if (result.ok) set({ settings: result.value.settings, loadError: null });
      return result;
    },
  }));
}

export type CameraSettingsStore = ReturnType<typeof createCameraSettingsStore>;
