/**
 * From a capture id to a file on disk, and nothing else: the id is parsed with the shared schema, then the
 * photo directory and the file are both resolved with realpath and the file must be a regular file directly
 * inside the real camera_<n> folder of the real photo directory. A symlinked camera folder, a symlink to
 * /etc/passwd or a file swapped for a directory all end as "not found", whatever the request said.
 */
import type { Dirent } from 'node:fs';
import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { CAPTURE_ID_PATTERN, captureIdSchema, captureKindOf, type CaptureKind } from '../../shared/domain.js';
import { DomainError } from '../core/errors.js';

/** A capture as a file: what the media routes send and the listing reads. */
export interface CaptureFile {
  /** The real path (symlinks resolved), inside the photo directory. */
  path: string;
  size: number;
  mtimeMs: number;
  kind: CaptureKind;
  contentType: string;
  name: string;
}

const CONTENT_TYPES: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  dng: 'image/x-adobe-dng',
  tif: 'image/tiff',
  tiff: 'image/tiff',
  mp4: 'video/mp4',
};

export const contentTypeOf = (name: string): string => CONTENT_TYPES[name.slice(name.lastIndexOf('.') + 1).toLowerCase()] ?? 'application/octet-stream';

/** "camera_3" → 3; null for anything else, including "camera_03" (one folder per camera, one id per file). */
export function cameraOfFolder(folder: string): number | null {
  const match = /^camera_(\d{1,2})$/.exec(folder);
  return match && `camera_${Number(match[1])}` === folder ? Number(match[1]) : null;
}

/** A file name a capture id can carry and whose kind is known: not hidden, not a temp file. */
export const isCaptureName = (name: string): boolean => CAPTURE_ID_PATTERN.test(`camera_0/${name}`) && captureKindOf(name) !== null;

export const captureId = (camera: number, name: string): string => `camera_${camera}/${name}`;

/** The id's camera and file name; bad_request when the schema refuses it. */
export function parseCaptureId(id: unknown): { camera: number; folder: string; name: string } {
  const parsed = captureIdSchema.safeParse(id);
  const match = parsed.success ? CAPTURE_ID_PATTERN.exec(parsed.data) : null;
  if (!match?.[1] || !match[2]) throw new DomainError('bad_request', 'A capture is camera_<n>/<file name>');
  return { camera: Number(match[1]), folder: `camera_${match[1]}`, name: match[2] };
}

const notFound = (id: string) => new DomainError('not_found', `No capture ${id}`);

/** The real photo directory, or null when it does not exist (nothing captured yet). */
export async function realRoot(root: string): Promise<string | null> {
  try {
    return await realpath(root);
  } catch {
    return null;
  }
}

/**
 * The real camera folder for `camera`, or null: it must be a directory that is itself no symlink, so a
 * camera_0 pointing elsewhere serves nothing.
 */
export async function realCameraDir(rootReal: string, folder: string): Promise<string | null> {
  if (cameraOfFolder(folder) === null) return null;
  const dir = join(rootReal, folder);
  try {
    const info = await lstat(dir);
    return info.isDirectory() ? dir : null;
  } catch {
    return null;
  }
}

/** The capture `id` as a regular file inside the photo directory `root`; not_found otherwise. */
export async function resolveCapture(root: string, id: string): Promise<CaptureFile> {
  const { folder, name } = parseCaptureId(id);
  const kind = captureKindOf(name);
  if (!kind) throw notFound(id);
  const rootReal = await realRoot(root);
  const dir = rootReal ? await realCameraDir(rootReal, folder) : null;
  if (!dir) throw notFound(id);
  const file = await insideFile(dir, name);
  if (!file) throw notFound(id);
  return { ...file, kind, contentType: contentTypeOf(name), name };
}

/** `name` in the real folder `dir`, following a symlink only when it ends at a regular file in that same folder. */
async function insideFile(dir: string, name: string): Promise<{ path: string; size: number; mtimeMs: number } | null> {
  try {
    const real = await realpath(join(dir, name));
    if (dirname(real) !== dir || basename(real).startsWith('.')) return null;
    const info = await stat(real);
    return info.isFile() ? { path: real, size: info.size, mtimeMs: info.mtimeMs } : null;
  } catch {
    return null;
  }
}

/** One listed file before its entry is built. */
export interface ScannedFile {
  camera: number;
  name: string;
  path: string;
  size: number;
  mtimeMs: number;
  kind: CaptureKind;
}

/** lstat calls in flight per folder: all 2,000 at once queue behind libuv's four threads and cost more than they save. */
const STAT_BATCH = 256;

/** Every capture in one real camera folder: regular files (and symlinks to files beside them) with a known kind. */
export async function scanCameraDir(dir: string, camera: number): Promise<ScannedFile[]> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const named = entries.filter((entry) => (entry.isFile() || entry.isSymbolicLink()) && isCaptureName(entry.name));
  const files: ScannedFile[] = [];
  for (let start = 0; start < named.length; start += STAT_BATCH) {
    const batch = named.slice(start, start + STAT_BATCH);
    const found = await Promise.all(batch.map((entry) => (entry.isFile() ? regularFile(dir, entry.name) : insideFile(dir, entry.name))));
    found.forEach((file, index) => {
      const name = batch[index]?.name;
      const kind = name === undefined ? null : captureKindOf(name);
      if (file && name !== undefined && kind) files.push({ camera, name, kind, ...file });
    });
  }
  return files;
}

/** A regular file's size and time; null when it vanished or was swapped for something else meanwhile. */
async function regularFile(dir: string, name: string): Promise<{ path: string; size: number; mtimeMs: number } | null> {
  const path = join(dir, name);
  try {
    const info = await lstat(path);
    return info.isFile() ? { path, size: info.size, mtimeMs: info.mtimeMs } : null;
  } catch {
    return null;
  }
}

/** The photo directory's camera folders as (camera, real folder), in camera order. */
export async function cameraDirs(rootReal: string): Promise<Array<{ camera: number; dir: string }>> {
  let entries: Dirent[];
  try {
    entries = await readdir(rootReal, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => ({ camera: cameraOfFolder(entry.name), dir: join(rootReal, entry.name) }))
    .filter((each): each is { camera: number; dir: string } => each.camera !== null)
    .sort((a, b) => a.camera - b.camera);
}

/** Whether a real camera folder holds at least one capture (for the camera filter), reading no file's details. */
export async function hasCaptures(dir: string): Promise<boolean> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return false;
  }
  const named = entries.filter((entry) => isCaptureName(entry.name));
  if (named.some((entry) => entry.isFile())) return true;
  for (const entry of named) if (entry.isSymbolicLink() && (await insideFile(dir, entry.name))) return true;
  return false;
}
