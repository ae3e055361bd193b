/**
 * Path safety of capture ids, on a real photo directory: nothing outside camera_<n> folders of the photo
 * directory can be resolved, whatever the id says (traversal, encodings, absolute paths, symlinks, NUL).
 */
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../core/errors.js';
import { cameraOfFolder, isCaptureName, resolveCapture } from './capture-paths.js';

let base: string;
let root: string;
let outside: string;

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'cp-paths-'));
  root = join(base, 'photos');
  outside = join(base, 'outside');
  await mkdir(join(root, 'camera_0', 'dir.jpg'), { recursive: true });
  await mkdir(join(root, 'camera_1'), { recursive: true });
  await mkdir(join(root, 'camera_00'), { recursive: true });
  await mkdir(outside, { recursive: true });
  await writeFile(join(root, 'camera_0', 'a.jpg'), 'jpeg');
  await writeFile(join(root, 'camera_0', '.hidden.jpg'), 'hidden');
  await writeFile(join(root, 'camera_0', 'notes.txt'), 'text');
  await writeFile(join(root, 'camera_1', 'b.jpg'), 'other camera');
  await writeFile(join(root, 'camera_00', 'x.jpg'), 'not canonical');
  await writeFile(join(root, 'top.jpg'), 'beside the folders');
  await writeFile(join(outside, 'secret.jpg'), 'secret');
  await symlink('/etc/passwd', join(root, 'camera_0', 'passwd.jpg'));
  await symlink(join(outside, 'secret.jpg'), join(root, 'camera_0', 'secret.jpg'));
  await symlink('../camera_1/b.jpg', join(root, 'camera_0', 'cross.jpg'));
  await symlink('a.jpg', join(root, 'camera_0', 'alias.jpg'));
  await symlink(outside, join(root, 'camera_2'));
  await symlink('missing.jpg', join(root, 'camera_0', 'dangling.jpg'));
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

async function refusal(id: unknown): Promise<string> {
  try {
    await resolveCapture(root, id as string);
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
  return 'resolved';
}

describe('resolveCapture', () => {
  it('resolves a capture to its real path with size, kind and content type', async () => {
    const file = await resolveCapture(root, 'camera_0/a.jpg');
    expect(file).toMatchObject({ path: join(root, 'camera_0', 'a.jpg'), size: 4, kind: 'photo', contentType: 'image/jpeg', name: 'a.jpg' });
  });

  it('a symlink to a file beside it in the same camera folder resolves to that file', async () => {
    expect((await resolveCapture(root, 'camera_0/alias.jpg')).path).toBe(join(root, 'camera_0', 'a.jpg'));
  });

  it('works when the photo directory itself is a symlink (a USB disk mounted elsewhere)', async () => {
    const linkedRoot = join(base, 'linked-photos');
    await symlink(root, linkedRoot);
    expect((await resolveCapture(linkedRoot, 'camera_0/a.jpg')).path).toBe(join(root, 'camera_0', 'a.jpg'));
  });

  it.each<[string, unknown]>([
    ['dot-dot segments', 'camera_0/../../etc/passwd'],
    ['dot-dot in the file name', 'camera_0/..jpg'],
    ['URL-encoded slashes', 'camera_0/..%2F..%2Fetc%2Fpasswd'],
    ['double-encoded', 'camera_0/%252e%252e%252fetc%252fpasswd'],
    ['an absolute path', '/etc/passwd'],
    ['an absolute path after the folder', 'camera_0//etc/passwd'],
    ['backslashes', 'camera_0\\..\\..\\etc\\passwd'],
    ['a hidden file', 'camera_0/.hidden.jpg'],
    ['a NUL byte', 'camera_0/a.jpg\0.png'],
    ['a very long name', `camera_0/${'a'.repeat(300)}.jpg`],
    ['a deeper path', 'camera_0/sub/a.jpg'],
    ['no camera folder', 'a.jpg'],
    ['another folder name', 'photos/a.jpg'],
    ['a three-digit camera', 'camera_100/a.jpg'],
    ['a number instead of a string', 42],
    ['null', null],
    ['the empty string', ''],
  ])('%s → bad_request', async (_name, id) => {
    expect(await refusal(id)).toBe('bad_request');
  });

  it.each<[string, string]>([
    ['a symlink to /etc/passwd inside camera_0', 'camera_0/passwd.jpg'],
    ['a symlink to a file outside the photo directory', 'camera_0/secret.jpg'],
    ['a symlink into another camera folder', 'camera_0/cross.jpg'],
    ['a camera folder that is a symlink to elsewhere', 'camera_2/secret.jpg'],
    ['a dangling symlink', 'camera_0/dangling.jpg'],
    ['a folder with a capture’s name', 'camera_0/dir.jpg'],
    ['a file of no capture kind', 'camera_0/notes.txt'],
    ['a missing file', 'camera_0/missing.jpg'],
    ['a missing camera folder', 'camera_7/a.jpg'],
    ['a camera folder with a leading zero', 'camera_00/x.jpg'],
  ])('%s → not_found', async (_name, id) => {
    expect(await refusal(id)).toBe('not_found');
  });

  it('a photo directory that does not exist → not_found', async () => {
    await expect(resolveCapture(join(base, 'nowhere'), 'camera_0/a.jpg')).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('names', () => {
  it.each<[string, number | null]>([
    ['camera_0', 0],
    ['camera_12', 12],
    ['camera_03', null],
    ['camera_', null],
    ['camera_123', null],
    ['Camera_1', null],
  ])('folder %s → %s', (folder, camera) => {
    expect(cameraOfFolder(folder)).toBe(camera);
  });

  it.each<[string, boolean]>([
    ['20261126_101500.jpg', true],
    ['20261126_101500_2.MP4', true],
    ['shot.tiff', true],
    ['.20261126_101500.mp4.partial-123-1', false],
    ['.hidden.jpg', false],
    ['notes.txt', false],
    ['with space.jpg', false],
    ['jpg', false],
  ])('file %s is a capture name: %s', (name, expected) => {
    expect(isCaptureName(name)).toBe(expected);
  });
});
