/**
 * Atomic file replacement: temp file in the same directory, fsync, rename, fsync of the directory.
 * A crash at any point leaves either the old file or the new one, never a half-written file.
 */
import { randomBytes } from 'node:crypto';
import { open, readdir, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export interface AtomicWriteOptions {
  /** File mode of the new file, e.g. 0o600. */
  mode: number;
}

/**
 * Test seam, for fault-injection tests only: a test child process sets `beforeRename` to kill itself
 * between "temp file written and synced" and "rename", the one moment a crash could matter.
 * It is a plain object, not an env var or setting, so no production input can switch it on.
 */
export const __faultInjection: { beforeRename: (() => void) | null } = { beforeRename: null };

/** Errors fsync on a directory may give on file systems that do not support it; the rename itself already happened. */
const DIR_FSYNC_UNSUPPORTED = new Set(['EINVAL', 'ENOTSUP', 'EISDIR', 'EBADF']);

/**
 * Temp names: `.<target name>.<writer's pid, 8 hex digits><16 random hex digits>.tmp`. The pid lets a later
 * start tell a temp file whose writer was killed from one being written right now by another process
 * (two data directories may share one secrets file). Names with 16 hex digits only come from older versions.
 */
const TEMP_NAME = /^\.(.+)\.([0-9a-f]{8})?[0-9a-f]{16}\.tmp$/;
const PID_DIGITS = 8;

/** Whether `name` is a temp file name writeFileAtomic makes (for cleaning a directory only CamPanel writes). */
export const isAtomicWriteTemp = (name: string): boolean => TEMP_NAME.test(name);

function tempNameFor(path: string): string {
  return `.${basename(path)}.${process.pid.toString(16).padStart(PID_DIGITS, '0')}${randomBytes(8).toString('hex')}.tmp`;
}

export async function writeFileAtomic(path: string, data: string, options: AtomicWriteOptions): Promise<void> {
  const dir = dirname(path);
  // Same directory as the target so rename() stays on one file system (and therefore atomic).
  const tempPath = join(dir, tempNameFor(path));
  // 'wx' = O_CREAT | O_EXCL | O_WRONLY: never reuse or follow an existing file or symlink at the temp name.
  const handle = await open(tempPath, 'wx', options.mode);
  let renamed = false;
  try {
    try {
      // The umask may have narrowed the mode; set it exactly before any data is in the file.
      // Doing it on the handle (fchmod) avoids chmod-by-path after the rename, which would follow a swapped-in symlink.
      await handle.chmod(options.mode);
      await handle.writeFile(data, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    __faultInjection.beforeRename?.();
    await rename(tempPath, path);
    renamed = true;
    await syncDirectory(dir);
  } catch (error) {
    if (!renamed) await unlink(tempPath).catch(() => undefined);
    throw error;
  }
}

/** Makes the rename itself durable: without it a power loss can bring the old directory entry back. */
async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === undefined || !DIR_FSYNC_UNSUPPORTED.has(code)) throw error;
  } finally {
    await handle.close();
  }
}

/** An older version's temp file (no pid in its name) counts as abandoned once it is this old: a write takes milliseconds. */
const UNNAMED_WRITER_AGE_MS = 60_000;

/**
 * Removes the temp files writeFileAtomic left beside `target` when their writer was killed between writing
 * and renaming (kill -9, power cut). A file whose writer still runs is kept: it may be mid-write. Returns the
 * names removed; a missing directory removes nothing.
 */
export async function removeAbandonedTempFiles(target: string): Promise<string[]> {
  const dir = dirname(target);
  const names = await readdir(dir).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const name of names) {
    const match = TEMP_NAME.exec(name);
    if (!match || match[1] !== basename(target)) continue;
    const path = join(dir, name);
    if (!(await isAbandoned(path, match[2]))) continue;
    try {
      await unlink(path);
      removed.push(name);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  return removed;
}

async function isAbandoned(path: string, pidHex: string | undefined): Promise<boolean> {
  if (pidHex !== undefined) {
    const pid = Number.parseInt(pidHex, 16);
    return pid !== process.pid && !isRunning(pid);
  }
  const info = await stat(path).catch(() => null);
  return info !== null && info.isFile() && Date.now() - info.mtimeMs > UNNAMED_WRITER_AGE_MS;
}

/** Signal 0 checks existence only; EPERM means the process exists but belongs to someone else. */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
