/**
 * Atomic file replacement: temp file in the same directory, fsync, rename, fsync of the directory.
 * A crash at any point leaves either the old file or the new one, never a half-written file.
 */
import { randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
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

export async function writeFileAtomic(path: string, data: string, options: AtomicWriteOptions): Promise<void> {
  const dir = dirname(path);
  // Same directory as the target so rename() stays on one file system (and therefore atomic).
  const tempPath = join(dir, `.${basename(path)}.${randomBytes(8).toString('hex')}.tmp`);
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
