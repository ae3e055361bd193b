/** Where captures go and whether that place can be written, checked against real directories. */
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CameraError } from './camera-errors.js';
import { cameraDir, captureStem, checkWritableDir, photoRoot } from './capture-files.js';

describe('photoRoot', () => {
  const dataDir = '/var/lib/campanel';
  it.each([
    ['empty', '', '/var/lib/campanel/photos'],
    ['blank', '   ', '/var/lib/campanel/photos'],
    ['home', '~', homedir()],
    ['under home', '~/Pictures/cam', join(homedir(), 'Pictures/cam')],
    ['relative', 'shots', '/var/lib/campanel/shots'],
    ['relative going up', '../shots/', '/var/lib/shots'],
    ['absolute', '/srv/photos/', '/srv/photos'],
    ['absolute, not normalised', ' /srv/./a/../photos ', '/srv/photos'],
    ['~user is not expanded', '~bob/x', '/var/lib/campanel/~bob/x'],
  ])('%s', (_name, configured, expected) => {
    expect(photoRoot(dataDir, configured)).toBe(expected);
  });

  it('puts each camera in its own folder', () => {
    expect(cameraDir('/srv/photos', 1)).toBe('/srv/photos/camera_1');
  });
});

describe('captureStem', () => {
  it('is YYYYMMDD_HHMMSS in local time, zero-padded', () => {
    expect(captureStem(new Date(2030, 0, 2, 3, 4, 5))).toBe('20300102_030405');
    expect(captureStem(new Date(2031, 11, 31, 23, 59, 59, 999))).toBe('20311231_235959');
  });

  it('matches the stem the worker accepts', () => {
    expect(captureStem()).toMatch(/^\d{8}_\d{6}$/);
  });
});

describe('checkWritableDir', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'campanel-capture-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** The promise's rejection, or a failure naming the case when it does not settle in time. */
  async function rejection(check: Promise<void>, what: string): Promise<unknown> {
    let timer: NodeJS.Timeout | undefined;
    const hang = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`checkWritableDir(${what}) did not settle within 3 s`)), 3000);
    });
    try {
      await Promise.race([check, hang]);
    } catch (error) {
      return error;
    } finally {
      clearTimeout(timer);
    }
    throw new Error(`checkWritableDir(${what}) passed`);
  }

  it('passes for an existing writable directory and leaves nothing in it', async () => {
    await writeFile(join(dir, 'photo.jpg'), 'x');
    await checkWritableDir(dir);
    expect(await readdir(dir)).toEqual(['photo.jpg']);
  });

  it('passes for a missing directory under a writable parent, leaving no probe file behind', async () => {
    const target = join(dir, 'photos', 'camera_0');
    await checkWritableDir(target);
    const left = await readdir(dir, { recursive: true });
    expect(left.filter((name) => name.includes('campanel-write-test'))).toEqual([]);
    // The module documents that it creates the directory (a capture would anyway).
    expect((await stat(target)).isDirectory()).toBe(true);
  });

  it('fails with kind storage when a part of the path is a regular file', async () => {
    await writeFile(join(dir, 'not-a-dir'), 'x');
    const target = join(dir, 'not-a-dir', 'photos');
    const error = await rejection(checkWritableDir(target), target);
    expect(error).toBeInstanceOf(CameraError);
    expect(error).toMatchObject({ kind: 'storage', message: `The photo directory ${target} is not writable (a part of the path is a file, not a directory)` });
  });

  it('fails with kind storage when the directory itself is a regular file', async () => {
    const target = join(dir, 'file');
    await writeFile(target, 'x');
    const error = await rejection(checkWritableDir(target), target);
    expect(error).toMatchObject({ kind: 'storage', message: expect.stringMatching(/^The photo directory .+ is not writable \(a part of the path is a file, not a directory\)$/) });
  });

  it('concurrent checks of the same directory all pass (two captures at once must not collide on the probe file)', async () => {
    const target = join(dir, 'photos');
    await mkdir(target);
    const results = await Promise.allSettled([1, 2, 3, 4].map(() => checkWritableDir(target)));
    expect(results.map((result) => (result.status === 'fulfilled' ? 'ok' : String(result.reason)))).toEqual(['ok', 'ok', 'ok', 'ok']);
    expect(await readdir(target)).toEqual([]);
  });

  it('fails with kind storage under /proc, where even root cannot create anything, within 3 s', async () => {
    const target = '/proc/campanel-test';
    const error = await rejection(checkWritableDir(target), target);
    expect(error).toBeInstanceOf(CameraError);
    expect(error).toMatchObject({ kind: 'storage', message: 'The photo directory /proc/campanel-test is not writable (the path cannot be created there)' });
  });
});
