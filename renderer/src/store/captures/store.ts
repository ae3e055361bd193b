/** The Captures screen's list: newest first, optionally one camera's, a page at a time. */
import { createStore } from 'zustand/vanilla';
import type { PanelClient, PanelErrorBody, Result } from '../../../../shared/contract';
import type { CaptureList } from '../../../../shared/domain';

export interface CapturesStoreState {
  list: CaptureList | null;
  /** null = every camera. */
  camera: number | null;
  loadError: PanelErrorBody | null;
  refresh(): Promise<void>;
  setCamera(camera: number | null): Promise<void>;
  deleteCapture(id: string): Promise<Result<{ id: string }>>;
}

export function createCapturesStore(client: PanelClient) {
  return createStore<CapturesStoreState>()((set, get) => ({
    list: null,
    camera: null,
    loadError: null,
    async refresh() {
      const camera = get().camera;
      const result = await client.listCaptures(camera === null ? {} : { camera });
      if (result.ok) set({ list: result.value, loadError: null });
      else set({ loadError: result.error });
    },
    async setCamera(camera) {
      set({ camera });
      await get().refresh();
    },
    async deleteCapture(id) {
      const result = await client.deleteCapture({ id });
      await get().refresh();
      return result;
    },
  }));
}

export type CapturesStore = ReturnType<typeof createCapturesStore>;
