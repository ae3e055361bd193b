/**
 * A camera folder's listing, kept while the folder is unchanged: adding, renaming or deleting a file changes
 * the folder's mtime/ctime, so a warm listing of 2,000 captures costs one stat per folder instead of one per
 * file (which, on a loaded Pi with an SD card, is most of the call). Captures are written once (the worker
 * links complete files under their final name), so a file changing in place is not a case CamPanel makes;
 * a file edited in place by hand shows its old size and time until the folder changes.
 */
import { stat } from 'node:fs/promises';
import { hasCaptures, scanCameraDir, type ScannedFile } from './capture-paths.js';

/**
 * A folder changed this recently may change again within its file system's timestamp resolution (FAT keeps
 * 2 s) without its mtime moving: such a scan is used once, not kept.
 */
const SETTLED_MS = 2000;
/** More folders than any photo directory has; past it (photo directory changed often) the scans start afresh. */
const MAX_FOLDERS = 64;

interface Scan {
  mtimeNs: bigint;
  ctimeNs: bigint;
  files: ScannedFile[];
}

export class FolderScans {
  readonly #scans = new Map<string, Scan>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** Every capture in the real camera folder `dir`. */
  async files(dir: string, camera: number): Promise<ScannedFile[]> {
    const version = await this.#version(dir);
    if (!version) return [];
    const kept = this.#scans.get(dir);
    if (kept && kept.mtimeNs === version.mtimeNs && kept.ctimeNs === version.ctimeNs) return kept.files;
    const startedAt = this.#now();
    const files = await scanCameraDir(dir, camera);
    if (startedAt - Number(version.mtimeNs / 1_000_000n) >= SETTLED_MS) {
      if (this.#scans.size >= MAX_FOLDERS) this.#scans.clear();
      this.#scans.set(dir, { ...version, files });
    } else {
      this.#scans.delete(dir);
    }
    return files;
  }

  /** Whether the folder holds any capture: from a kept scan when there is one, else from its names alone. */
  async any(dir: string): Promise<boolean> {
    const version = await this.#version(dir);
    if (!version) return false;
    const kept = this.#scans.get(dir);
    if (kept && kept.mtimeNs === version.mtimeNs && kept.ctimeNs === version.ctimeNs) return kept.files.length > 0;
    return hasCaptures(dir);
  }

  async #version(dir: string): Promise<{ mtimeNs: bigint; ctimeNs: bigint } | null> {
    try {
      const info = await stat(dir, { bigint: true });
      return { mtimeNs: info.mtimeNs, ctimeNs: info.ctimeNs };
    } catch {
      return null;
    }
  }
}
