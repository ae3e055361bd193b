/** Pure views of the captures list: badges, sizes, the camera filter, paging and the viewer's neighbours. */
import type { CaptureEntry } from '../../../../shared/domain';
import type { CapturesStoreState } from './store';

/** 5 → "0:05", 65 → "1:05", 3725 → "1:02:05"; null for an unknown duration. */
export function formatDuration(seconds: number | null): string | null {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return null;
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** The corner badge of a tile: "RAW", a video's duration, "Video" when its duration is unknown; null for photos. */
export function captureBadge(entry: CaptureEntry): string | null {
  if (entry.kind === 'raw') return 'RAW';
  if (entry.kind === 'video') return formatDuration(entry.durationSeconds) ?? 'Video';
  return null;
}

/** 1023 → "1023 B", 1536 → "1.5 KB", 5_300_000 → "5.1 MB". */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 100 ? Math.round(value) : Math.round(value * 10) / 10} ${units[unit]}`;
}

const KIND_WORDS: Record<CaptureEntry['kind'], string> = { photo: 'Photo', raw: 'Raw photo', video: 'Video' };

/** "Video · 0:05 · 1.2 MB · Camera 0". */
export function captureSummary(entry: CaptureEntry): string {
  const duration = entry.kind === 'video' ? formatDuration(entry.durationSeconds) : null;
  return [KIND_WORDS[entry.kind], duration, formatSize(entry.size), `Camera ${entry.camera}`].filter(Boolean).join(' · ');
}

export interface CameraOption {
  /** '' = all cameras. */
  value: string;
  label: string;
}

/** The Camera filter: All cameras, then every camera with captures (and the chosen one even when it has none). */
export function cameraOptions(state: Pick<CapturesStoreState, 'cameras' | 'camera'>): CameraOption[] {
  const nums = new Set(state.cameras);
  if (state.camera !== null) nums.add(state.camera);
  return [{ value: '', label: 'All cameras' }, ...[...nums].sort((a, b) => a - b).map((n) => ({ value: String(n), label: `Camera ${n}` }))];
}

export const hasMore = (state: Pick<CapturesStoreState, 'items' | 'total'>): boolean => state.items.length < state.total;

/** "60 of 2,000 files" / "3 files" / "1 file". */
export function countText(state: Pick<CapturesStoreState, 'items' | 'total'>): string {
  const total = `${state.total.toLocaleString('en-US')} ${state.total === 1 ? 'file' : 'files'}`;
  return state.items.length < state.total ? `${state.items.length.toLocaleString('en-US')} of ${total}` : total;
}

/** The ids before and after one in the shown list (for the viewer's Previous / Next). */
export function neighbours(items: readonly CaptureEntry[], id: string): { previous: string | null; next: string | null } {
  const at = items.findIndex((c) => c.id === id);
  if (at === -1) return { previous: null, next: null };
  return { previous: items[at - 1]?.id ?? null, next: items[at + 1]?.id ?? null };
}
