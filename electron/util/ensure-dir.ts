import { mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * `mkdir -p`, by hand: Node 20's `mkdir(…, { recursive: true })` never settles for a path it cannot create
 * under /proc (it loops between ENOENT and EEXIST on one core), so each level is made once and a second
 * failure is final. A path part that is a file gives ENOTDIR.
 */
export async function ensureDir(dir: string, depth = 0): Promise<void> {
  try {
    await mkdir(dir, { mode: 0o755 });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      if (!(await stat(dir)).isDirectory()) throw Object.assign(new Error(`${dir} is not a directory`), { code: 'ENOTDIR' });
      return;
    }
    const parent = dirname(dir);
    if (code !== 'ENOENT' || parent === dir || depth > 64) throw error;
    await ensureDir(parent, depth + 1);
    // Once more, and only once: a second ENOENT is final.
    await mkdir(dir, { mode: 0o755 }).catch((again: NodeJS.ErrnoException) => {
      if (again.code !== 'EEXIST') throw again;
    });
  }
}
