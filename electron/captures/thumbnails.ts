/**
 * Thumbnails for the Captures grid: a ~320 px wide JPEG per capture, made once and kept under
 * <data dir>/cache/thumbnails/. The cache key is a hash of (real path, size, mtime), so a replaced file gets
 * a new thumbnail and nothing has to be invalidated. Photos and TIFF/DNG go through sharp; videos give
 * ffmpeg's frame at 1 s (the first one when shorter). At most two are made at a time (a Pi has few cores
 * and the grid asks for dozens at once); requests for one that is being made share its promise.
 */
import { createHash, randomUUID } from 'node:crypto';
import { rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { DomainError } from '../core/errors.js';
import { ensureDir } from '../util/ensure-dir.js';
import type { CaptureFile } from './capture-paths.js';
import { Semaphore } from './semaphore.js';
import { videoFrame } from './video-frame.js';

export const THUMBNAIL_WIDTH = 320;
const QUALITY = 70;
const AT_SECONDS = 1;
/** Files that gave no preview, remembered so the grid does not start ffmpeg for them on every visit. */
const MAX_REMEMBERED_FAILURES = 1000;

export interface Thumbnail {
  path: string;
  contentType: 'image/jpeg';
}

export interface ThumbnailOptions {
  dir: string;
  /** ffmpeg's path, or null when there is none (videos then have no preview). */
  ffmpeg: string | null;
  /** A video's length, for picking the frame (the store's cached header reading). */
  duration: (file: CaptureFile) => Promise<number | null>;
  concurrency?: number;
}

export class ThumbnailCache {
  readonly #options: ThumbnailOptions;
  readonly #limit: Semaphore;
  readonly #making = new Map<string, Promise<Thumbnail>>();
  readonly #failed = new Set<string>();

  constructor(options: ThumbnailOptions) {
    this.#options = options;
    this.#limit = new Semaphore(options.concurrency ?? 2);
  }

  /** Where `file`'s thumbnail is (or will be) cached. */
  pathFor(file: Pick<CaptureFile, 'path' | 'size' | 'mtimeMs'>): string {
    const key = createHash('sha256').update(`${file.path}\0${file.size}\0${file.mtimeMs}`).digest('hex').slice(0, 40);
    return join(this.#options.dir, `${key}.jpg`);
  }

  /** The cached thumbnail, made now if missing; DomainError('unsupported') when the file gives no preview. */
  async get(file: CaptureFile): Promise<Thumbnail> {
    const path = this.pathFor(file);
    if (this.#failed.has(path)) throw noPreview();
    const making = this.#making.get(path);
    if (making) return making;
    if (await exists(path)) return { path, contentType: 'image/jpeg' };
    const promise = this.#limit.run(() => this.#make(file, path)).finally(() => this.#making.delete(path));
    this.#making.set(path, promise);
    return promise;
  }

  /** Forgets `file`'s thumbnail (the capture was deleted). */
  async remove(file: Pick<CaptureFile, 'path' | 'size' | 'mtimeMs'>): Promise<void> {
    const path = this.pathFor(file);
    this.#failed.delete(path);
    await rm(path, { force: true });
  }

  async #make(file: CaptureFile, path: string): Promise<Thumbnail> {
    if (await exists(path)) return { path, contentType: 'image/jpeg' }; // made while this one waited its turn
    await ensureDir(this.#options.dir);
    // Same directory, so the rename is atomic: a reader sees no thumbnail or a whole one.
    const tmp = join(this.#options.dir, `.${randomUUID()}.tmp`);
    try {
      const input = file.kind === 'video' ? await this.#videoFrame(file) : file.path;
      await sharp(input, { failOn: 'error' })
        .rotate()
        .resize({ width: THUMBNAIL_WIDTH, withoutEnlargement: true })
        .jpeg({ quality: QUALITY, mozjpeg: false })
        .toFile(tmp);
      await rename(tmp, path);
      return { path, contentType: 'image/jpeg' };
    } catch {
      await rm(tmp, { force: true });
      if (this.#failed.size >= MAX_REMEMBERED_FAILURES) this.#failed.clear();
      this.#failed.add(path);
      throw noPreview();
    }
  }

  async #videoFrame(file: CaptureFile): Promise<Buffer> {
    const ffmpeg = this.#options.ffmpeg;
    if (!ffmpeg) throw new Error('no ffmpeg');
    const duration = await this.#options.duration(file);
    return videoFrame(ffmpeg, file.path, duration !== null && duration > AT_SECONDS ? AT_SECONDS : 0, THUMBNAIL_WIDTH);
  }
}

const noPreview = () => new DomainError('unsupported', 'No preview for this file');

async function exists(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
