/** The pipeline's state and the Live screen's actions (capture, record, switch, restart). */
import { createStore } from 'zustand/vanilla';
import type { PanelClient, PanelErrorBody, Result } from '../../../../shared/contract';
import type { CaptureEntry, PipelineState } from '../../../../shared/domain';

export interface CameraStoreState {
  status: PipelineState | null;
  loadError: PanelErrorBody | null;
  refresh(): Promise<void>;
  takePhoto(camera: number, kind: 'photo' | 'raw'): Promise<Result<CaptureEntry>>;
  startRecording(camera: number): Promise<Result<PipelineState>>;
  stopRecording(camera: number): Promise<Result<CaptureEntry>>;
  switchCamera(): Promise<Result<PipelineState>>;
  restartPipeline(): Promise<Result<PipelineState>>;
}

export function createCameraStore(client: PanelClient) {
  return createStore<CameraStoreState>()((set, get) => {
    const applyStatus = (result: Result<PipelineState>): Result<PipelineState> => {
      if (result.ok) set({ status: result.value, loadError: null });
      return result;
    };
    return {
      status: null,
      loadError: null,
      async refresh() {
        const result = await client.cameraStatus({});
        if (result.ok) set({ status: result.value, loadError: null });
        else set({ loadError: result.error });
      },
      async takePhoto(camera, kind) {
        return client.takePhoto({ camera, kind });
      },
      async startRecording(camera) {
        return applyStatus(await client.startRecording({ camera }));
      },
      async stopRecording(camera) {
        const result = await client.stopRecording({ camera });
        await get().refresh();
        return result;
      },
      async switchCamera() {
        return applyStatus(await client.switchCamera({}));
      },
      async restartPipeline() {
        return applyStatus(await client.restartPipeline({}));
      },
    };
  });
}

export type CameraStore = ReturnType<typeof createCameraStore>;
