/**
 * Photo and video file names: <stem>.<ext>, or <stem>_1.<ext>, <stem>_2.<ext>, … when taken.
 * Never overwrites: data goes to a hidden temp file in the same directory, is fsynced, then
 * hard-linked to the final name (link fails with EEXIST instead of replacing, unlike rename), so a
 * file appears under its final name only when complete.
 */
import { link, lstat, open, readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { ensureDir } from '../../util/ensure-dir.js';

const MAX_SUFFIX = 9999;
let partialCounter = 0;

export const finalName = (stem: string, ext: string, suffix: number): string => (suffix === 0 ? `${stem}.${ext}` : `${stem}_${suffix}.${ext}`);

/** Hidden, unique per process and call; removePartialFiles() recognises it. */
export function partialPath(dir: string, stem: string, ext: string): string {
  partialCounter += 1;
  return join(dir, `.${stem}.${ext}.partial-${process.pid}-${partialCounter}`);
}

export const isPartialName = (name: string): boolean => /^\..+\.partial-/.test(name);

/** Final paths promised to recordings still in progress (their files appear only when they stop). */
export const reservedPaths = new Set<string>();

/** A capture/record failure in words, naming the directory. */
export function describeFsError(error: unknown, dir: string): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return `cannot write to ${dir}: permission denied (${code})`;
    case 'EROFS':
      return `cannot write to ${dir}: the file system is read-only (EROFS)`;
    case 'ENOTDIR':
      return `cannot write to ${dir}: it (or a folder above it) is a file, not a folder (ENOTDIR)`;
    case 'ENOSPC':
      return `cannot write to ${dir}: no space left on the device (ENOSPC)`;
    case 'EDQUOT':
      return `cannot write to ${dir}: disk quota exceeded (EDQUOT)`;
    case 'ENOENT':
      return `cannot write to ${dir}: it does not exist and cannot be created (ENOENT)`;
    case 'EEXIST':
      return `cannot create ${dir}: a file of that name exists (EEXIST)`;
    default:
      return `cannot write to ${dir}: ${error instanceof Error ? error.message : String(error)}`;
  }
}


/** First free name (on disk and not reserved) — for recordings, which announce their name at start. */
export async function reserveName(dir: string, stem: string, ext: string): Promise<string> {
  for (let suffix = 0; suffix <= MAX_SUFFIX; suffix += 1) {
    const path = join(dir, finalName(stem, ext, suffix));
    if (reservedPaths.has(path)) continue;
    try {
      await lstat(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      reservedPaths.add(path);
      return path;
    }
  }
  throw new Error(`no free name for ${stem}.${ext} in ${dir}`);
}

/**
 * Links a complete, synced temp file to the first free final name, then removes the temp name.
 * `preferred` (a reserved path) is tried first; if something else took it meanwhile, the next free
 * suffix is used. Returns the final path.
 */
export async function linkToFinal(tmp: string, dir: string, stem: string, ext: string, preferred: string | null = null): Promise<string> {
  const candidates = function* (): Generator<string> {
    if (preferred !== null) yield preferred;
    for (let suffix = 0; suffix <= MAX_SUFFIX; suffix += 1) yield join(dir, finalName(stem, ext, suffix));
  };
  for (const path of candidates()) {
    if (path !== preferred && reservedPaths.has(path)) continue;
    try {
      await link(tmp, path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw error;
    }
    await unlink(tmp).catch(() => undefined);
    await syncDirectory(dir);
    return path;
  }
  throw new Error(`no free name for ${stem}.${ext} in ${dir}`);
}

/** Makes the new name durable; best effort (some file systems refuse fsync on a directory). */
async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    await handle.sync().finally(() => handle.close());
  } catch {
    // The link itself succeeded; durability of the entry is all that is lost.
  }
}

/** fsync of a file written by someone else (ffmpeg, rpicam-still) before it gets its final name. */
export async function syncFile(path: string): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Writes `data` as <dir>/<stem>.<ext> (or the next free suffix) without ever overwriting; returns the path. */
export async function writeUnique(dir: string, stem: string, ext: string, data: Uint8Array): Promise<string> {
  await ensureDir(dir);
  const tmp = partialPath(dir, stem, ext);
  try {
    // 'wx': never follow or reuse something already at the temp name.
    const handle = await open(tmp, 'wx', 0o644);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    return await linkToFinal(tmp, dir, stem, ext);
  } catch (error) {
    await unlink(tmp).catch(() => undefined);
    throw error;
  }
}

/**
 * Removes temp files a crashed worker left behind (`.<name>.partial-*`). The main process calls it at
 * start, before any worker runs, for the photo directory. Returns how many were removed.
 */
export async function removePartialFiles(dir: string): Promise<number> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
  let removed = 0;
  for (const name of names.filter(isPartialName)) {
    try {
      await unlink(join(dir, name));
      removed += 1;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  return removed;
}
