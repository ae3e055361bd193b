/**
 * The photos, raw photos and videos in the photo directory, as the Captures screen and the media routes
 * see them: listed newest first, resolved by id with the path checks of capture-paths.ts, thumbnailed once,
 * deleted with their thumbnail. The photo directory is read from the settings at each call (it can change).
 */
import { unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { CAPTURE_LIMITS, listCapturesRequestSchema, type CaptureEntry, type CaptureList } from '../../shared/domain.js';
import { DomainError, refusal } from '../core/errors.js';
import { photoRoot } from '../pipeline/capture-files.js';
import { cameraDirs, captureId, parseCaptureId, realRoot, resolveCapture, type CaptureFile, type ScannedFile } from './capture-paths.js';
import { DurationCache } from './duration-cache.js';
import { FolderScans } from './folder-scans.js';
import { ThumbnailCache, type Thumbnail } from './thumbnails.js';

export type { CaptureFile } from './capture-paths.js';

export interface CaptureStoreOptions {
  dataDir: string;
  /** The configured photo directory ('' = <data dir>/photos), read at each call. */
  photoDir: () => string;
  /** ffmpeg for video thumbnails; null = videos get no preview. */
  ffmpeg: string | null;
  /** Called after a capture was deleted here (the core turns it into the 'captures' event). */
  onChange?: () => void;
  /** Thumbnails made at once (default 2). */
  thumbnailConcurrency?: number;
}

export interface ListRequest {
  camera?: number;
  offset?: number;
  limit?: number;
}

export class CaptureStore {
  readonly #options: CaptureStoreOptions;
  readonly #durations = new DurationCache();
  readonly #folders = new FolderScans();
  readonly #thumbnails: ThumbnailCache;

  constructor(options: CaptureStoreOptions) {
    this.#options = options;
    this.#thumbnails = new ThumbnailCache({
      dir: join(options.dataDir, 'cache', 'thumbnails'),
      ffmpeg: options.ffmpeg,
      duration: (file) => this.#durations.get(file),
      concurrency: options.thumbnailConcurrency,
    });
  }

  /** The photo directory, absolute, as configured now. */
  root(): string {
    return photoRoot(this.#options.dataDir, this.#options.photoDir());
  }

  /** Newest first (modification time, then name); one camera's when `camera` is given. */
  async list(request: ListRequest = {}): Promise<CaptureList> {
    const parsed = listCapturesRequestSchema.safeParse(request);
    if (!parsed.success) throw refusal('bad_request', parsed.error);
    const { camera, offset = 0, limit = CAPTURE_LIMITS.pageSize } = parsed.data;
    const root = this.root();
    const rootReal = await realRoot(root);
    if (!rootReal) return { items: [], total: 0, cameras: [], photoDir: root };

    const dirs = await cameraDirs(rootReal);
    // Only the listed folders' files are read in detail; the others are only asked whether they hold any.
    const listed = dirs.filter((each) => camera === undefined || each.camera === camera);
    const [scanned, others] = await Promise.all([
      Promise.all(listed.map((each) => this.#folders.files(each.dir, each.camera))),
      Promise.all(dirs.map((each) => (camera === undefined || each.camera === camera ? null : this.#folders.any(each.dir)))),
    ]);
    const withCaptures = new Set(listed.filter((_each, index) => (scanned[index]?.length ?? 0) > 0).map((each) => each.camera));
    dirs.forEach((each, index) => {
      if (others[index]) withCaptures.add(each.camera);
    });

    // flat() copies: the kept scans keep their order.
    const files = scanned.flat().sort(newestFirst);
    const items = await Promise.all(files.slice(offset, offset + limit).map((file) => this.#entry(file)));
    return { items, total: files.length, cameras: [...withCaptures].sort((a, b) => a - b), photoDir: root };
  }

  /** The capture's file; DomainError bad_request for an id the schema refuses, not_found when missing or outside. */
  resolve(id: string): Promise<CaptureFile> {
    return resolveCapture(this.root(), id);
  }

  /** One capture as the listing shows it (the answer of takePhoto and stopRecording). */
  async entry(id: string): Promise<CaptureEntry> {
    const { camera } = parseCaptureId(id);
    const file = await this.resolve(id);
    return this.#entry({ camera, name: file.name, path: file.path, size: file.size, mtimeMs: file.mtimeMs, kind: file.kind });
  }

  /** The id of a capture file the camera just wrote (<photo dir>/camera_<n>/<name>). */
  idOf(camera: number, path: string): string {
    return captureId(camera, basename(path));
  }

  /** A cached JPEG about 320 px wide; DomainError('unsupported') when the file gives none (DNG, a damaged file). */
  async thumbnail(id: string): Promise<Thumbnail> {
    return this.#thumbnails.get(await this.resolve(id));
  }

  /** Deletes the capture and its cached thumbnail. */
  async remove(id: string): Promise<void> {
    const file = await this.resolve(id);
    // The name in its folder, not the real path: deleting a symlinked capture removes the link, not its target.
    try {
      await unlink(join(dirname(file.path), file.name));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new DomainError('not_found', `No capture ${id}`);
      throw new DomainError('conflict', `${id} could not be deleted (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})`);
    }
    this.#durations.forget(file.path);
    await this.#thumbnails.remove(file).catch(() => undefined);
    this.#options.onChange?.();
  }

  async #entry(file: ScannedFile): Promise<CaptureEntry> {
    return {
      id: captureId(file.camera, file.name),
      camera: file.camera,
      name: file.name,
      kind: file.kind,
      size: file.size,
      modifiedAt: new Date(file.mtimeMs).toISOString(),
      durationSeconds: file.kind === 'video' ? await this.#durations.get(file) : null,
    };
  }
}

function newestFirst(a: ScannedFile, b: ScannedFile): number {
  return b.mtimeMs - a.mtimeMs || (a.name < b.name ? 1 : a.name > b.name ? -1 : 0) || a.camera - b.camera;
}
