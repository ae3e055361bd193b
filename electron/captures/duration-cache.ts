/**
 * Video lengths by (path, size, mtime), in memory: the header is read once per file version, so listing
 * hundreds of videos again costs no file reads. A changed file has another size or mtime and is read anew.
 */
import { mp4DurationSeconds } from './mp4-duration.js';

/** Enough for every video of a large photo directory; past it the cache starts afresh rather than grow. */
const MAX_ENTRIES = 20_000;

interface Known {
  size: number;
  mtimeMs: number;
  seconds: Promise<number | null>;
}

export class DurationCache {
  readonly #known = new Map<string, Known>();

  get(file: { path: string; size: number; mtimeMs: number }): Promise<number | null> {
    const known = this.#known.get(file.path);
    if (known && known.size === file.size && known.mtimeMs === file.mtimeMs) return known.seconds;
    if (this.#known.size >= MAX_ENTRIES) this.#known.clear();
    const seconds = mp4DurationSeconds(file.path);
    this.#known.set(file.path, { size: file.size, mtimeMs: file.mtimeMs, seconds });
    return seconds;
  }

  forget(path: string): void {
    this.#known.delete(path);
  }
}
