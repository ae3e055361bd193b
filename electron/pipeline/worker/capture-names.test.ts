import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureDir } from '../../util/ensure-dir.js';
import { describeFsError, finalName, isPartialName, linkToFinal, partialPath, removePartialFiles, reserveName, reservedPaths, writeUnique } from './capture-names.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'campanel-names-'));
});
afterEach(async () => {
  reservedPaths.clear();
  await chmod(dir, 0o755).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

describe('capture names', () => {
  it('names <stem>.<ext>, then <stem>_1.<ext>, … and never overwrites', async () => {
    expect(finalName('a', 'jpg', 0)).toBe('a.jpg');
    expect(finalName('a', 'jpg', 2)).toBe('a_2.jpg');
    const first = await writeUnique(dir, 'shot', 'jpg', Buffer.from('one'));
    const second = await writeUnique(dir, 'shot', 'jpg', Buffer.from('two'));
    expect([first, second]).toEqual([join(dir, 'shot.jpg'), join(dir, 'shot_1.jpg')]);
    expect(await readFile(first, 'utf8')).toBe('one');
    expect(await readFile(second, 'utf8')).toBe('two');
    expect((await readdir(dir)).sort()).toEqual(['shot.jpg', 'shot_1.jpg']);
  });

  it('gives simultaneous writers distinct names', async () => {
    const paths = await Promise.all(Array.from({ length: 8 }, (_, i) => writeUnique(dir, 'same', 'png', Buffer.from(String(i)))));
    expect(new Set(paths).size).toBe(8);
    expect((await readdir(dir)).filter(isPartialName)).toEqual([]);
  });

  it('creates a missing directory, and reports one that cannot be written in words', async () => {
    expect(await writeUnique(join(dir, 'a', 'b'), 'x', 'jpg', Buffer.from('x'))).toBe(join(dir, 'a', 'b', 'x.jpg'));
    await writeFile(join(dir, 'file'), 'not a dir');
    const error = await writeUnique(join(dir, 'file', 'sub'), 'x', 'jpg', Buffer.from('x')).catch((e: unknown) => e);
    expect(describeFsError(error, join(dir, 'file', 'sub'))).toBe(`cannot write to ${join(dir, 'file', 'sub')}: it (or a folder above it) is a file, not a folder (ENOTDIR)`);
    expect(describeFsError(Object.assign(new Error('x'), { code: 'EACCES' }), '/p')).toBe('cannot write to /p: permission denied (EACCES)');
    expect(describeFsError(Object.assign(new Error('x'), { code: 'EROFS' }), '/p')).toBe('cannot write to /p: the file system is read-only (EROFS)');
  });

  it('settles where Node’s recursive mkdir would hang (/proc)', async () => {
    const error = await ensureDir('/proc/campanel/photos').catch((e: unknown) => e);
    expect(describeFsError(error, '/proc/campanel/photos')).toBe('cannot write to /proc/campanel/photos: it does not exist and cannot be created (ENOENT)');
  });

  it.skipIf(process.getuid?.() === 0)('leaves nothing behind in a read-only directory (skipped as root, whom permission bits do not stop; ENOTDIR and /proc cover the refusal then)', async () => {
    await chmod(dir, 0o555);
    await expect(writeUnique(dir, 'x', 'jpg', Buffer.from('x'))).rejects.toMatchObject({ code: 'EACCES' });
    expect(await readdir(dir)).toEqual([]);
  });

  it('reserves names for recordings: taken on disk or reserved → next suffix', async () => {
    await writeFile(join(dir, 'v.mp4'), '');
    const first = await reserveName(dir, 'v', 'mp4');
    const second = await reserveName(dir, 'v', 'mp4');
    expect([first, second]).toEqual([join(dir, 'v_1.mp4'), join(dir, 'v_2.mp4')]);
    // A photo never takes a name a recording has announced.
    expect(await writeUnique(dir, 'v', 'mp4', Buffer.from('p'))).toBe(join(dir, 'v_3.mp4'));
  });

  it('links to the preferred name, or the next free one if it was taken meanwhile', async () => {
    const tmp = partialPath(dir, 'r', 'mp4');
    await writeFile(tmp, 'video');
    const preferred = await reserveName(dir, 'r', 'mp4');
    await writeFile(preferred, 'someone else');
    expect(await linkToFinal(tmp, dir, 'r', 'mp4', preferred)).toBe(join(dir, 'r_1.mp4'));
    expect(await readFile(preferred, 'utf8')).toBe('someone else');
    expect((await readdir(dir)).sort()).toEqual(['r.mp4', 'r_1.mp4']);
  });

  it('removePartialFiles removes only temp files', async () => {
    const tmp = partialPath(dir, 's', 'jpg');
    expect(isPartialName(tmp.slice(dir.length + 1))).toBe(true);
    await mkdir(join(dir, 'sub'));
    for (const name of [tmp.slice(dir.length + 1), '.s.dng.partial-1-2.jpg', 'keep.jpg', '.hidden', 'partial-x.jpg']) await writeFile(join(dir, name), '');
    expect(await removePartialFiles(dir)).toBe(2);
    expect((await readdir(dir)).sort()).toEqual(['.hidden', 'keep.jpg', 'partial-x.jpg', 'sub']);
    expect(await removePartialFiles(join(dir, 'missing'))).toBe(0);
  });
});
