/**
 * The Captures screen's list: newest first, optionally one camera's, loaded a page at a time ("Show more")
 * so 2,000 files never mean 2,000 tiles up front. A refresh (the 'captures' event) fetches again as many
 * items as are shown, keeping the filter and so the scroll position. Answers that arrive after the filter
 * changed are dropped.
 */
import { createStore } from 'zustand/vanilla';
import type { PanelClient, PanelErrorBody, Result } from '../../../../shared/contract';
import { CAPTURE_LIMITS, type CaptureEntry, type CaptureList } from '../../../../shared/domain';

/** Items per "Show more". */
export const CAPTURES_PAGE = 60;

export interface CapturesStoreState {
  items: CaptureEntry[];
  /** Matching files in all. */
  total: number;
  /** Cameras that have captures, for the filter. */
  cameras: number[];
  photoDir: string | null;
  /** null = every camera. */
  camera: number | null;
  /** The first page (of the current filter) has arrived. */
  loaded: boolean;
  loading: boolean;
  loadingMore: boolean;
  loadError: PanelErrorBody | null;
  refresh(): Promise<void>;
  loadMore(): Promise<void>;
  setCamera(camera: number | null): Promise<void>;
  deleteCapture(id: string): Promise<Result<{ id: string }>>;
}

type ListResult = Result<CaptureList>;

export function createCapturesStore(client: PanelClient) {
  /** Bumped by a filter change: answers for an older filter are not applied. */
  let generation = 0;
  /** Only the newest refresh applies its answer (events can come in bursts). */
  let refreshes = 0;

  /** Up to `count` items from `offset`, in calls of at most the contract's page limit. */
  async function fetchRange(camera: number | null, offset: number, count: number): Promise<ListResult> {
    let merged: CaptureList | null = null;
    while (!merged || (merged.items.length < count && offset + merged.items.length < merged.total)) {
      const got = merged?.items.length ?? 0;
      const limit = Math.min(CAPTURE_LIMITS.maxPageSize, count - got);
      const result = await client.listCaptures({ ...(camera === null ? {} : { camera }), offset: offset + got, limit });
      if (!result.ok) return result;
      merged = merged ? { ...result.value, items: [...merged.items, ...result.value.items] } : result.value;
      if (result.value.items.length === 0) break;
    }
    return { ok: true, value: merged };
  }

  return createStore<CapturesStoreState>()((set, get) => {
    const apply = (list: CaptureList, items: CaptureEntry[]) =>
      set({ items, total: list.total, cameras: list.cameras, photoDir: list.photoDir, loaded: true, loadError: null });

    return {
      items: [],
      total: 0,
      cameras: [],
      photoDir: null,
      camera: null,
      loaded: false,
      loading: false,
      loadingMore: false,
      loadError: null,

      async refresh() {
        const mine = generation;
        const ticket = ++refreshes;
        const { camera, items } = get();
        set({ loading: true });
        const result = await fetchRange(camera, 0, Math.max(CAPTURES_PAGE, items.length));
        if (mine !== generation || ticket !== refreshes) return;
        set({ loading: false });
        if (result.ok) apply(result.value, result.value.items);
        else set({ loadError: result.error });
      },

      async loadMore() {
        const { camera, items, loadingMore, total } = get();
        if (loadingMore || items.length >= total) return;
        const mine = generation;
        set({ loadingMore: true });
        const result = await fetchRange(camera, items.length, CAPTURES_PAGE);
        if (mine !== generation) return;
        set({ loadingMore: false });
        if (!result.ok) {
          set({ loadError: result.error });
          return;
        }
        // New captures since the last call shift the offsets: an item may come twice.
        const current = get().items;
        const seen = new Set(current.map((c) => c.id));
        apply(result.value, [...current, ...result.value.items.filter((c) => !seen.has(c.id))]);
      },

      async setCamera(camera) {
        if (camera === get().camera && get().loaded) return;
        generation++;
        set({ camera, items: [], total: 0, loaded: false, loadingMore: false, loadError: null });
        await get().refresh();
      },

      async deleteCapture(id) {
        const result = await client.deleteCapture({ id });
        if (result.ok) {
          const { items, total } = get();
          set({ items: items.filter((c) => c.id !== id), total: Math.max(0, total - 1) });
        }
        await get().refresh();
        return result;
      },
    };
  });
}

export type CapturesStore = ReturnType<typeof createCapturesStore>;
