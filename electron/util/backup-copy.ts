import { constants as fsConstants } from 'node:fs';
import { copyFile } from 'node:fs/promises';

/**
 * Copies a damaged file to `<path>.bak-<time>` before anything replaces it, never overwriting an earlier
 * backup (a second one in the same millisecond gets `-2`, …). Returns the backup's path.
 */
export async function backUpBeside(path: string): Promise<string> {
  const stamp = new Date().toISOString().replaceAll(':', '-');
  for (let attempt = 1; ; attempt++) {
    const backupPath = `${path}.bak-${stamp}${attempt > 1 ? `-${attempt}` : ''}`;
    try {
      await copyFile(path, backupPath, fsConstants.COPYFILE_EXCL);
      return backupPath;
    } catch (error) {
      if (attempt >= 20 || !(error instanceof Error && 'code' in error && error.code === 'EEXIST')) throw error;
    }
  }
}
