/**
 * Where captures go: <photo dir>/camera_<n>/YYYYMMDD_HHMMSS.<type> in local time (docs/compatibility.md §6).
 * The worker adds _1, _2, … when a name is taken; the stem is chosen here so that "both cameras" requests
 * use the same name in each camera's folder, as raspiCamSrv does.
 */
import { randomUUID } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { homedir } from 'node:os';
import { ensureDir } from '../util/ensure-dir.js';
import { CameraError } from './camera-errors.js';

export const photoRoot = (dataDir: string, configured: string): string => {
  const trimmed = configured.trim();
  if (trimmed === '') return join(dataDir, 'photos');
  const expanded = trimmed === '~' || trimmed.startsWith('~/') ? join(homedir(), trimmed.slice(1)) : trimmed;
  return isAbsolute(expanded) ? resolve(expanded) : resolve(dataDir, expanded);
};

export const cameraDir = (root: string, camera: number): string => join(root, `camera_${camera}`);

const two = (n: number) => String(n).padStart(2, '0');
export function captureStem(now = new Date()): string {
  return `${now.getFullYear()}${two(now.getMonth() + 1)}${two(now.getDate())}_${two(now.getHours())}${two(now.getMinutes())}${two(now.getSeconds())}`;
}

/**
 * Makes sure captures can be written to `dir`: creates it (and its parents) and writes and removes a probe
 * file. Permission bits alone would not tell (root may write anywhere by them, yet not in /proc or on a
 * read-only file system), so the check does what a capture will do.
 */
export async function checkWritableDir(dir: string): Promise<void> {
  // Its own name per check: two captures at once must not collide on it.
  const probe = join(dir, `.campanel-write-test-${randomUUID()}`);
  try {
    await ensureDir(dir);
    await writeFile(probe, '', { flag: 'wx' });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CameraError('storage', `The photo directory ${dir} is not writable (${REASONS[code ?? ''] ?? code ?? 'unknown error'})`);
  } finally {
    await rm(probe, { force: true }).catch(() => undefined);
  }
}

const REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'read-only file system',
  ENOTDIR: 'a part of the path is a file, not a directory',
  EEXIST: 'a part of the path is a file, not a directory',
  ENOSPC: 'the disk is full',
  ENOENT: 'the path cannot be created there',
};
