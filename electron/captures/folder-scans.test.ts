/** Kept folder scans: reused while the folder is unchanged, read again when a file comes or goes or the folder is fresh. */
import { mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FolderScans } from './folder-scans.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cp-scans-'));
  await writeFile(join(dir, 'a.jpg'), 'one');
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const names = async (scans: FolderScans) => (await scans.files(dir, 0)).map((file) => `${file.name}:${file.size}`).sort();

describe('FolderScans', () => {
  it('a settled folder: its scan is reused (an in-place edit is not seen) until a file is added or removed', async () => {
    const scans = new FolderScans(() => Date.now() + 10_000);
    expect(await names(scans)).toEqual(['a.jpg:3']);
    await writeFile(join(dir, 'a.jpg'), 'longer'); // in place: the folder does not change
    expect(await names(scans)).toEqual(['a.jpg:3']);
    await writeFile(join(dir, 'b.jpg'), 'two');
    expect(await names(scans)).toEqual(['a.jpg:6', 'b.jpg:3']);
    await unlink(join(dir, 'a.jpg'));
    expect(await names(scans)).toEqual(['b.jpg:3']);
    expect(await scans.any(dir)).toBe(true);
    await unlink(join(dir, 'b.jpg'));
    expect(await scans.any(dir)).toBe(false);
  });

  it('a folder changed within the last 2 s is read again at each call', async () => {
    const scans = new FolderScans();
    expect(await names(scans)).toEqual(['a.jpg:3']);
    await writeFile(join(dir, 'a.jpg'), 'longer');
    expect(await names(scans)).toEqual(['a.jpg:6']);
  });

  it('a folder that is gone: nothing', async () => {
    const scans = new FolderScans(() => Date.now() + 10_000);
    await names(scans);
    await rm(dir, { recursive: true });
    expect([await names(scans), await scans.any(dir)]).toEqual([[], false]);
  });
});
